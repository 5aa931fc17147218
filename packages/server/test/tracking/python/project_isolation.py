"""Runs the MLflow client against Foghorn as one project and prints one JSON result.

Usage:
  project_isolation.py TRACKING_URI owner
      logs a run with a param, a metric, an artifact file and a scikit-learn
      model, and registers the model as `project-model`.
  project_isolation.py TRACKING_URI outsider EXPERIMENT_ID RUN_ID
      tries to read the owner's experiment, run, artifact and model.

The project comes from MLFLOW_TRACKING_TOKEN.
"""

import json
import os
import sys
import tempfile

import mlflow
import mlflow.sklearn
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from sklearn.linear_model import LogisticRegression

MODEL_NAME = "project-model"


def log_as_owner() -> dict:
    mlflow.set_experiment("project-experiment")
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", "0.5")
        mlflow.log_metric("accuracy", 0.75)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "notes.txt")
            with open(path, "w", encoding="utf-8") as file:
                file.write("owner notes")
            mlflow.log_artifact(path)
        model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        info = mlflow.sklearn.log_model(model, name="model")
    version = mlflow.register_model(info.model_uri, MODEL_NAME)
    loaded = mlflow.sklearn.load_model(f"models:/{MODEL_NAME}/{version.version}")
    return {
        "experiment_id": run.info.experiment_id,
        "run_id": run.info.run_id,
        "version": str(version.version),
        "prediction": int(loaded.predict([[3.0]])[0]),
    }


def error_code_of(action) -> str:
    """Returns the MLflow error code the action raised, or 'no error'."""
    try:
        action()
    except MlflowException as error:
        return error.error_code
    return "no error"


def failure_of(action) -> str:
    """Returns the exception the action raised as `Class` or `Class:ERROR_CODE`, or 'no error'."""
    try:
        action()
    except MlflowException as error:
        return f"{type(error).__name__}:{error.error_code}"
    except Exception as error:  # noqa: BLE001 - the test reports whichever error the client raises
        return type(error).__name__
    return "no error"


def read_as_outsider(experiment_id: str, run_id: str) -> dict:
    client = MlflowClient()
    runs = client.search_runs([experiment_id, "0"])
    with tempfile.TemporaryDirectory() as folder:
        try:
            mlflow.artifacts.download_artifacts(
                artifact_uri=f"mlflow-artifacts:/{experiment_id}/{run_id}/artifacts/notes.txt",
                dst_path=folder,
            )
            download = "no error"
        except MlflowException as error:
            # The client reports the proxy's HTTP status only in the message.
            download = "404" if "404" in str(error) else str(error)
    return {
        "search_runs": len(runs),
        "get_run": error_code_of(lambda: client.get_run(run_id)),
        "get_experiment": error_code_of(lambda: client.get_experiment(experiment_id)),
        "experiment_by_name": client.get_experiment_by_name("project-experiment") is None,
        "registered_models": [model.name for model in client.search_registered_models()],
        "model_versions": len(client.search_model_versions(f"name='{MODEL_NAME}'")),
        "get_model_version": error_code_of(lambda: client.get_model_version(MODEL_NAME, "1")),
        "load_model": failure_of(lambda: mlflow.sklearn.load_model(f"models:/{MODEL_NAME}/1")),
        "load_run_model": failure_of(lambda: mlflow.sklearn.load_model(f"runs:/{run_id}/model")),
        "download_artifact": download,
    }


def main() -> None:
    mlflow.set_tracking_uri(sys.argv[1])
    if sys.argv[2] == "owner":
        result = log_as_owner()
    else:
        result = read_as_outsider(sys.argv[3], sys.argv[4])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
