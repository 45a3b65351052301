"""Alert thresholds, decided in Python and handed to the C# steps as JSON."""
import orchest

thresholds = {
    "max_temperature": orchest.get_step_param("max_temperature", 30.0),
    "unit": orchest.get_pipeline_param("unit", "C"),
    "sensors": ["north", "south", "east", "west"],
}
orchest.output(thresholds, name="thresholds")
print(f"Alert above {thresholds['max_temperature']} {thresholds['unit']}")
