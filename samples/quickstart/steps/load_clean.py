"""Loads the penguin measurements and removes incomplete rows.

Outputs the cleaned table unnamed (every child gets it in its "unnamed" list) and the cleaning
statistics under the name "cleaning_stats".
"""
import pandas as pd

import orchest

drop_missing = orchest.get_step_param("drop_missing", True)
min_mass = orchest.get_pipeline_param("min_body_mass_g", 0)

raw = pd.read_csv("../data/penguins.csv")
cleaned = raw.dropna() if drop_missing else raw.copy()
cleaned = cleaned[cleaned["body_mass_g"] >= min_mass].reset_index(drop=True)
cleaned["body_mass_g"] = cleaned["body_mass_g"].astype(int)

stats = {
    "rows_in": int(len(raw)),
    "rows_out": int(len(cleaned)),
    "dropped": int(len(raw) - len(cleaned)),
    "species": sorted(cleaned["species"].unique().tolist()),
}
print(f"kept {stats['rows_out']} of {stats['rows_in']} rows ({stats['dropped']} dropped)")

orchest.output(cleaned, name=None)
orchest.output(stats, name="cleaning_stats")
