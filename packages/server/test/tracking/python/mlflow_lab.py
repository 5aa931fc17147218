"""The MLflow lab (iris classification) run against a tracking server.

Usage: python mlflow_lab.py TRACKING_URI OUTPUT_JSON

Steps 2 to 4 of the lab and its two stretch goals, with the tracking URI
pointed at the server under test instead of a local folder. Prints what the
lab prints and writes the values the test checks to OUTPUT_JSON.
"""

import json
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, f1_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

tracking_uri, output_path = sys.argv[1], sys.argv[2]
report = {"mlflow_version": mlflow.__version__}

# Step 2: set up MLflow and log experiments
mlflow.set_tracking_uri(tracking_uri)
mlflow.set_experiment("iris-classification")

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

logged = {}
for C_value in [0.01, 0.1, 1.0, 10.0]:
    with mlflow.start_run(run_name=f"logreg_C={C_value}") as run:
        mlflow.log_param("model_type", "LogisticRegression")
        mlflow.log_param("C", C_value)
        mlflow.log_param("solver", "lbfgs")

        model = LogisticRegression(C=C_value, solver="lbfgs", max_iter=200)
        model.fit(X_train, y_train)

        preds = model.predict(X_test)
        acc = accuracy_score(y_test, preds)
        f1 = f1_score(y_test, preds, average="weighted")

        mlflow.log_metric("accuracy", acc)
        mlflow.log_metric("f1_weighted", f1)

        mlflow.sklearn.log_model(model, "model")

        print(f"C={C_value:>5}: accuracy={acc:.4f}, f1={f1:.4f}")
        logged[run.info.run_id] = {"C": C_value, "accuracy": acc, "f1_weighted": f1}
report["logged"] = logged

# Step 3: compare runs and identify the best model
experiment = mlflow.get_experiment_by_name("iris-classification")
runs_df = mlflow.search_runs(
    experiment_ids=[experiment.experiment_id],
    order_by=["metrics.accuracy DESC"],
)
cols = ["run_id", "params.C", "metrics.accuracy", "metrics.f1_weighted"]
available = [c for c in cols if c in runs_df.columns]
print(runs_df[available].to_string(index=False))
best_run = runs_df.iloc[0]
print(f"\nBest run: {best_run['run_id']}")
report["experiment_id"] = experiment.experiment_id
report["search_columns"] = list(runs_df.columns)
report["search_rows"] = [
    {
        "run_id": row["run_id"],
        "C": row["params.C"],
        "accuracy": row["metrics.accuracy"],
        "f1_weighted": row["metrics.f1_weighted"],
        "status": row["status"],
        "run_name": row["tags.mlflow.runName"],
    }
    for _, row in runs_df.iterrows()
]

# Step 4: register the best model
best_run_id = best_run["run_id"]
model_uri = f"runs:/{best_run_id}/model"
result = mlflow.register_model(model_uri, "iris-classifier")
print(f"Registered model: {result.name}, version: {result.version}")
client = MlflowClient()
client.transition_model_version_stage(name="iris-classifier", version=result.version, stage="Staging")
print(f"Model version {result.version} transitioned to Staging")
loaded_model = mlflow.sklearn.load_model("models:/iris-classifier/Staging")
verify_acc = accuracy_score(y_test, loaded_model.predict(X_test))
print(f"Verified accuracy from registry: {verify_acc:.4f}")
report["registered_version"] = str(result.version)
report["verified_accuracy"] = verify_acc
report["best_accuracy"] = float(best_run["metrics.accuracy"])
report["staging_versions"] = [
    v.version for v in client.get_latest_versions("iris-classifier", stages=["Staging"])
]

# Stretch goals: autologging, and a confusion matrix logged with log_figure
mlflow.sklearn.autolog()
with mlflow.start_run(run_name="autolog") as run:
    model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=200)
    model.fit(X_train, y_train)
    figure, axes = plt.subplots()
    ConfusionMatrixDisplay.from_predictions(y_test, model.predict(X_test), ax=axes)
    mlflow.log_figure(figure, "confusion_matrix.png")
    autolog_run_id = run.info.run_id
mlflow.sklearn.autolog(disable=True)

autolog_run = client.get_run(autolog_run_id)
report["autolog_run_id"] = autolog_run_id
report["autolog_params"] = autolog_run.data.params
report["autolog_metrics"] = autolog_run.data.metrics
report["autolog_artifacts"] = sorted(a.path for a in client.list_artifacts(autolog_run_id))
with tempfile.TemporaryDirectory() as folder:
    local = mlflow.artifacts.download_artifacts(
        run_id=autolog_run_id, artifact_path="confusion_matrix.png", dst_path=folder
    )
    with open(local, "rb") as figure_file:
        head = figure_file.read(8)
report["figure_png_signature"] = head.hex()

with open(output_path, "w", encoding="utf-8") as output:
    json.dump(report, output)
