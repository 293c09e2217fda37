/** The action ids of an alert's buttons, and of the lists that act on its pattern. */
export const ACTIONS = {
  acknowledge: "alert_acknowledge",
  expected: "alert_expected",
  expectedMute: "alert_expected_mute",
  truePositive: "alert_true_positive",
  settings: "alert_settings",
  reopen: "alert_reopen",
  snooze: "alert_snooze",
  mute30: "alert_mute_30",
  suppress: "alert_suppress",
  unmute: "alert_unmute",
  unsuppress: "alert_unsuppress",
  /** "Remove" and "End" in the settings' lists: the alert's undo, answered to the clicker. */
  removeSuppression: "alert_remove_suppression",
  endMute: "alert_end_mute",
} as const;

/** The snooze choices of an alert's menu, in hours. */
export const SNOOZE_HOURS = [1, 4, 24] as const;
