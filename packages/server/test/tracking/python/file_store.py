"""Builds an MLflow file store, and dumps what a tracking server holds.

Usage:
  python file_store.py create MLRUNS_DIR
  python file_store.py dump TRACKING_URI OUTPUT_JSON

`create` logs two experiments with runs (params, metrics with steps, tags,
a text artifact and a nested JSON artifact) and a registered model to a
file store with the real client. `dump` reads experiments, runs, metric
histories, artifacts and the registry back through the client, so the test
can compare the file store with Foghorn after the import.
"""

import json
import os
import sys
import tempfile

import mlflow
from mlflow.tracking import MlflowClient


def create(root):
    mlflow.set_tracking_uri("file:" + os.path.abspath(root))
    client = MlflowClient()
    for experiment, learning_rates in (("churn", [0.1, 0.01]), ("fraud", [0.5])):
        mlflow.set_experiment(experiment)
        for lr in learning_rates:
            with mlflow.start_run(run_name=f"{experiment}-lr{lr}") as run:
                mlflow.log_params({"lr": lr, "optimizer/name": "adam"})
                for step in range(5):
                    mlflow.log_metric("loss", 1.0 / (step + 1) + lr, step=step)
                    mlflow.log_metric("accuracy", 0.5 + step * 0.1 - lr, step=step)
                mlflow.set_tag("team", experiment)
                mlflow.log_text(f"notes for lr={lr}\n", "notes.txt")
                mlflow.log_dict({"lr": lr, "layers": [64, 32]}, "config/model.json")
                last_run = run
    client.create_registered_model("churn-model", description="imported model")
    version = client.create_model_version(
        "churn-model", source=f"{last_run.info.artifact_uri}/model", run_id=last_run.info.run_id
    )
    client.transition_model_version_stage("churn-model", version.version, "Staging")
    client.set_registered_model_alias("churn-model", "candidate", version.version)


def list_artifacts(client, run_id, path=None):
    files = []
    for entry in client.list_artifacts(run_id, path):
        if entry.is_dir:
            files.extend(list_artifacts(client, run_id, entry.path))
        else:
            files.append(entry.path)
    return sorted(files)


def dump_run(client, run):
    run_id = run.info.run_id
    histories = {
        key: [(m.step, m.value, m.timestamp) for m in client.get_metric_history(run_id, key)]
        for key in run.data.metrics
    }
    with tempfile.TemporaryDirectory() as folder:
        notes = client.download_artifacts(run_id, "notes.txt", folder)
        with open(notes, encoding="utf-8") as handle:
            notes_text = handle.read()
    return {
        "run_name": run.info.run_name,
        "status": run.info.status,
        "start_time": run.info.start_time,
        "end_time": run.info.end_time,
        "params": run.data.params,
        "metrics": run.data.metrics,
        "tags": run.data.tags,
        "histories": histories,
        "artifacts": list_artifacts(client, run_id),
        "notes": notes_text,
    }


def dump(tracking_uri, output_path):
    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient()
    experiments = {}
    for experiment in client.search_experiments():
        runs = client.search_runs([experiment.experiment_id], order_by=["attributes.run_name ASC"])
        experiments[experiment.name] = {run.info.run_id: dump_run(client, run) for run in runs}
    models = {}
    for model in client.search_registered_models():
        versions = client.search_model_versions(f"name = '{model.name}'")
        models[model.name] = {
            "description": model.description,
            "aliases": model.aliases,
            "versions": sorted((str(v.version), v.current_stage, v.run_id) for v in versions),
        }
    with open(output_path, "w", encoding="utf-8") as output:
        json.dump({"experiments": experiments, "models": models}, output, indent=1, sort_keys=True)


if sys.argv[1] == "create":
    create(sys.argv[2])
else:
    dump(sys.argv[2], sys.argv[3])
