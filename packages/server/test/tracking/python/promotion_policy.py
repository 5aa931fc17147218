"""Exercises Foghorn's promotion policy through the unmodified MLflow client.

Usage: python promotion_policy.py TRACKING_URI OUTPUT_JSON

The test sets two policies before this runs: model "churn" requires
accuracy >= 0.9 without auto-promotion, and model "churn-auto" has the same
threshold with auto-promotion that archives the previous version.
"""

import json
import sys

import mlflow
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

tracking_uri, output_path = sys.argv[1], sys.argv[2]
mlflow.set_tracking_uri(tracking_uri)
mlflow.set_experiment("promotion-policy")
client = MlflowClient()
report = {"mlflow_version": mlflow.__version__}


def log_run(name, accuracy):
    with mlflow.start_run(run_name=name) as run:
        mlflow.log_param("threshold_case", name)
        mlflow.log_metric("accuracy", accuracy - 0.2, step=0)
        mlflow.log_metric("accuracy", accuracy, step=1)
        return run.info.run_id, run.info.artifact_uri


def register(model_name, run_id, artifact_uri):
    version = client.create_model_version(
        model_name, source=f"{artifact_uri}/model", run_id=run_id
    )
    return version.version


weak_run, weak_uri = log_run("weak", 0.71)
strong_run, strong_uri = log_run("strong", 0.95)
stronger_run, stronger_uri = log_run("stronger", 0.97)
report["runs"] = {"weak": weak_run, "strong": strong_run, "stronger": stronger_run}

client.create_registered_model("churn")
weak_version = register("churn", weak_run, weak_uri)
strong_version = register("churn", strong_run, strong_uri)
try:
    client.transition_model_version_stage("churn", weak_version, "Production")
    report["weak_error"] = None
except MlflowException as error:
    report["weak_error"] = {"code": error.error_code, "message": error.message}
client.transition_model_version_stage("churn", weak_version, "Staging")
promoted = client.transition_model_version_stage("churn", strong_version, "Production")
report["strong_stage"] = promoted.current_stage
report["weak_stage"] = client.get_model_version("churn", weak_version).current_stage

client.create_registered_model("churn-auto")
first = register("churn-auto", strong_run, strong_uri)
second = register("churn-auto", stronger_run, stronger_uri)
third = register("churn-auto", weak_run, weak_uri)
report["auto_stages"] = {
    str(number): client.get_model_version("churn-auto", number).current_stage
    for number in (first, second, third)
}

with open(output_path, "w", encoding="utf-8") as output:
    json.dump(report, output)
