"""Logs what the experiment and registry pages show, through the real MLflow client.

Usage: python log_tracking_pages.py TRACKING_URI OUTPUT_JSON

Logs three runs of experiment "pages-demo" with params, metrics over five
steps, a confusion matrix figure (log_figure), an SVG chart and a JSON config.
Registers model "pages-model" with a version from the weakest run and one
from the strongest. Writes the run IDs by name to OUTPUT_JSON.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import numpy as np  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402

tracking_uri, output_path = sys.argv[1], sys.argv[2]
mlflow.set_tracking_uri(tracking_uri)
mlflow.set_experiment("pages-demo")
client = MlflowClient()

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#4ea1ff"/></svg>'
runs = {}
for name, depth, final_accuracy in (("shallow", 2, 0.72), ("medium", 4, 0.86), ("deep", 8, 0.93)):
    with mlflow.start_run(run_name=name) as run:
        mlflow.log_params({"max_depth": depth, "learning_rate": 0.1, "note": "<b>not bold</b>"})
        for step in range(5):
            mlflow.log_metric("accuracy", final_accuracy - (4 - step) * 0.05, step=step)
            mlflow.log_metric("loss", 1.0 - final_accuracy + (4 - step) * 0.1, step=step)
        figure, axes = plt.subplots(figsize=(3, 3))
        ConfusionMatrixDisplay(np.array([[40, 3], [5, 52 + depth]])).plot(ax=axes)
        mlflow.log_figure(figure, "confusion_matrix.png")
        plt.close(figure)
        mlflow.log_text(SVG, "charts/bar.svg")
        mlflow.log_dict({"max_depth": depth, "layers": [64, 32]}, "config/params.json")
        runs[name] = {"run_id": run.info.run_id, "artifact_uri": run.info.artifact_uri}

client.create_registered_model("pages-model")
for name in ("shallow", "deep"):
    client.create_model_version(
        "pages-model", source=f"{runs[name]['artifact_uri']}/model", run_id=runs[name]["run_id"]
    )

with open(output_path, "w", encoding="utf-8") as output:
    json.dump({name: value["run_id"] for name, value in runs.items()}, output)
