"""Calls Foghorn's MLflow API with the credentials in the environment and prints one JSON result.

Usage: mlflow_auth.py TRACKING_URI EXPERIMENT_NAME
"""

import json
import sys

import mlflow
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient


def main() -> None:
    uri, name = sys.argv[1], sys.argv[2]
    mlflow.set_tracking_uri(uri)
    client = MlflowClient()
    try:
        experiment_id = client.create_experiment(name)
        run = client.create_run(experiment_id)
        client.log_param(run.info.run_id, "alpha", "0.5")
        fetched = client.get_run(run.info.run_id)
        print(json.dumps({"ok": True, "alpha": fetched.data.params.get("alpha")}))
    except MlflowException as error:
        print(json.dumps({"ok": False, "error_code": error.error_code, "message": str(error)}))


if __name__ == "__main__":
    main()
