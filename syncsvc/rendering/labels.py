"""The words the Markdown views show for the plan's enumerated values (rollout strategy,
deployment, rollback mechanism), shared by the sections and the leadership page."""

STRATEGY_LABELS = {
    "percentage_ramp": "Percentage ramp behind a flag",
    "cohort_ramp": "Cohorts in waves",
    "shadow_cutover": "Shadow run, then cut over",
    "window_cutover": "Rehearsed cutover in a window",
    "staged_app_release": "Staged app-store release with a server-side kill switch",
    "dark_launch": "Dark launch, then ramp",
}
DEPLOYMENT_LABELS = {
    "feature_flag": "Feature flag",
    "canary": "Canary release",
    "blue_green": "Blue-green deployment",
    "big_bang": "Big-bang release",
}
MECHANISM_LABELS = {
    "flag_off": "Turn the feature flag off",
    "fail_back": "Fail back to the old system or provider",
    "stop_dual_write": "Stop dual-write and read from the old store",
    "halt_release": "Halt the phased app release and switch the feature off server-side",
    "lift_enforcement": "Lift the new enforcement (per workspace or plan) and restore who it blocked",
    "revert_config": "Revert the tooling change and re-run the pipeline",
    "redeploy_previous": "Redeploy the previous release",
    "restore_backup": "Restore from backup",
    "route_to_previous_version": "Route clients back to the previous API version",
    "back_to_old_tool": "Send users back to the old tool or process",
    "restore_previous_plans": "Restore the previous plans and prices",
    "pause_and_restore": "Pause the new jobs and restore what they removed",
    "abort_canary": "Abort the canary",
    "switch_back": "Switch traffic back to the previous colour",
    "undetermined": "Not determined: the kind of change was not recognised (see the findings)",
}
