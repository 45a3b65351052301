"""Body-mass features per island: mean mass and a histogram with a configurable number of bins."""
import orchest

bins = int(orchest.get_step_param("bins", 5))

inputs = orchest.get_inputs()
penguins = inputs["unnamed"][0]

low, high = penguins["body_mass_g"].min(), penguins["body_mass_g"].max()
width = (high - low) / bins
histogram = {}
for island, group in penguins.groupby("island"):
    counts = [0] * bins
    for mass in group["body_mass_g"]:
        counts[min(int((mass - low) / width), bins - 1)] += 1
    histogram[island] = {"mean_mass_g": round(float(group["body_mass_g"].mean()), 1), "histogram": counts}
    print(f"{island}: {len(group)} penguins, mean {histogram[island]['mean_mass_g']} g")

orchest.output({"bins": bins, "range_g": [int(low), int(high)], "islands": histogram}, name="mass")
