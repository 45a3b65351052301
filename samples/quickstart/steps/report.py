"""Trains a nearest-centroid classifier on the features and writes a short report.

Reads the cleaned table (unnamed) and the named outputs of the other steps, then writes
report.md to the shared data folder and outputs a summary.
"""
import json
import os

import orchest

inputs = orchest.get_inputs()
penguins = inputs["unnamed"][0]
morphology = inputs["morphology"]
mass = inputs["mass"]
stats = inputs["cleaning_stats"]
title = orchest.get_pipeline_param("report_title", "Penguin report")

features = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
scale = penguins[features].std()
train = penguins.sample(frac=0.7, random_state=1)
test = penguins.drop(train.index)
centroids = (train.groupby("species")[features].mean() / scale)


def predict(row):
    point = row[features] / scale
    return ((centroids - point) ** 2).sum(axis=1).idxmin()


accuracy = float((test.apply(predict, axis=1) == test["species"]).mean())

lines = [f"# {title}", "", f"Rows used: {stats['rows_out']} of {stats['rows_in']}.", ""]
lines += ["| species | bill ratio | flipper (mm) |", "|---|---|---|"]
for species, row in sorted(morphology.items()):
    lines.append(f"| {species} | {row['bill_ratio']} | {row['flipper_mm']} |")
lines += ["", "Mean body mass by island: " + ", ".join(
    f"{island} {v['mean_mass_g']} g" for island, v in sorted(mass["islands"].items()))]
lines += ["", f"Nearest-centroid accuracy on a 30% hold-out: {accuracy:.1%}."]

data_dir = os.environ.get("ORCHEST_DATA_DIR", "/data")
os.makedirs(data_dir, exist_ok=True)
path = os.path.join(data_dir, "quickstart-report.md")
with open(path, "w") as f:
    f.write("\n".join(lines) + "\n")

print("\n".join(lines))
print(f"report written to {path}")
orchest.output({"accuracy": round(accuracy, 4), "report": path}, name="summary")
print(json.dumps({"accuracy": round(accuracy, 4)}))
