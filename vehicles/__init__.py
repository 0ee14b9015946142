"""扣押车辆: surveillance, impound and third-party custody."""
