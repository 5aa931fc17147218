"""Seed an MLflow SQLite tracking store with the benchmark's runs through MLflow's own store.

Usage: python seed_mlflow.py DB_PATH ARTIFACT_ROOT RUN_COUNT

Creates one experiment with SqlAlchemyStore (which also creates and migrates
the schema), then adds RUN_COUNT runs in one session with the rows that
SqlAlchemyStore.create_run and log_batch write: the run, its mlflow.runName
and team tags, the param C, and the accuracy metric in both the history
table and the latest-metrics table. Prints the experiment ID as JSON.
"""

import json
import sys
import time
import uuid

from mlflow.entities import LifecycleStage, RunStatus, SourceType
from mlflow.store.tracking.dbmodels.models import (
    SqlLatestMetric,
    SqlMetric,
    SqlParam,
    SqlRun,
    SqlTag,
)
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

START_TIME_MS = 1_700_000_000_000
ROWS_PER_FLUSH = 2_000


def accuracy_of(index):
    return ((index * 7919) % 10_000) / 10_000


def run_rows(experiment_id, artifact_root, index):
    run_id = uuid.uuid4().hex
    name = f"run-{index}"
    run = SqlRun(
        name=name,
        artifact_uri=f"{artifact_root}/{experiment_id}/{run_id}/artifacts",
        run_uuid=run_id,
        experiment_id=int(experiment_id),
        source_type=SourceType.to_string(SourceType.UNKNOWN),
        source_name="",
        entry_point_name="",
        user_id="",
        status=RunStatus.to_string(RunStatus.RUNNING),
        start_time=START_TIME_MS + index,
        end_time=None,
        deleted_time=None,
        source_version="",
        lifecycle_stage=LifecycleStage.ACTIVE,
    )
    value = accuracy_of(index)
    metric = dict(key="accuracy", value=value, timestamp=1, step=0, is_nan=False, run_uuid=run_id)
    return [
        run,
        SqlTag(key="mlflow.runName", value=name, run_uuid=run_id),
        SqlTag(key="team", value="a" if index % 2 == 0 else "b", run_uuid=run_id),
        SqlParam(key="C", value=str(index % 17), run_uuid=run_id),
        SqlMetric(**metric),
        SqlLatestMetric(**metric),
    ]


def main():
    db_path, artifact_root, run_count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = SqlAlchemyStore(f"sqlite:///{db_path}", artifact_root)
    experiment_id = store.create_experiment(f"bench-{int(time.time() * 1000)}")
    with store.ManagedSessionMaker() as session:
        for start in range(0, run_count, ROWS_PER_FLUSH):
            for index in range(start, min(run_count, start + ROWS_PER_FLUSH)):
                session.add_all(run_rows(experiment_id, artifact_root, index))
            session.flush()
    print(json.dumps({"experiment_id": experiment_id}))


if __name__ == "__main__":
    main()
