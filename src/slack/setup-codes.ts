/** A message of its own in a channel, or a reply in a message's thread. */
export type PostKind = "top-level" | "reply";

const NOT_IN_CHANNEL = "invite the bot to the alert channel: /invite @mcp-activity in that channel";
const POSTING_PERMISSIONS =
  "the alert channel's posting permissions exclude the bot: let the app post (channel settings → Posting permissions) or set SLACK_ALERT_CHANNEL to another";

/** Slack's codes that are the operator's to fix, wherever they are met, and what to do. */
export const SETUP: Readonly<Record<string, string>> = {
  invalid_auth: "SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again",
  not_authed: "SLACK_BOT_TOKEN is missing or not valid",
  account_inactive:
    "the Slack app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN",
  token_revoked: "the bot token was revoked: reinstall the Slack app and update SLACK_BOT_TOKEN",
  token_expired: "the bot token expired: reinstall the Slack app and update SLACK_BOT_TOKEN",
  missing_scope: "the Slack app lacks a scope: add the scopes of manifest.yml and reinstall it",
  org_login_required:
    "the workspace is being migrated to an Enterprise organization: messages wait until it is done",
  team_added_to_org:
    "the workspace is being added to an Enterprise organization: messages wait until it is done",
  ekm_access_denied:
    "the workspace's admins suspended posting (Enterprise Key Management): ask them to restore it",
  accesslimited:
    "Slack refuses calls from this machine's network: add its address to the workspace's allowed IPs",
  team_access_not_granted:
    "the Slack app is not granted to this workspace: an organization admin must add it",
  two_factor_setup_required:
    "the workspace requires two-factor authentication of the app's installer: reinstall it",
};

/** Slack's codes for a bot token it does not take: whatever call meets one, the token is the problem. */
export const TOKEN_REFUSED: ReadonlySet<string> = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
]);

/**
 * Errors that are setup problems only when they concern the alert channel. Elsewhere (a channel
 * that was the alert channel before, one a command run from another shell queued a digest for)
 * the bot's own channel is not at fault: the message is refused for good, and nothing waits.
 */
export const ALERT_CHANNEL_SETUP: Readonly<Record<string, string>> = {
  not_in_channel: NOT_IN_CHANNEL,
  channel_not_found:
    "check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there",
  is_archived: "the alert channel is archived: unarchive it or set SLACK_ALERT_CHANNEL to another",
  // The channel's posting permissions (channel settings, or an admin's policy) leave the bot out.
  restricted_action: POSTING_PERMISSIONS,
  restricted_action_read_only_channel: POSTING_PERMISSIONS,
  restricted_action_thread_only_channel:
    "the alert channel takes thread replies only: let the app post to the channel (channel settings → Posting permissions) or set SLACK_ALERT_CHANNEL to another",
  restricted_action_non_threadable_channel:
    "the alert channel takes no thread replies (alerts' and digests' threads wait): allow them (channel settings → Posting permissions) or set SLACK_ALERT_CHANNEL to another",
  // chat.postMessage's own words: "make sure your app is a member of the conversation".
  no_permission:
    "the bot may not post in the alert channel: invite it there (/invite @mcp-activity) and check the channel's posting permissions",
};

/** The alert channel's restrictions that refuse one kind of post only. */
export const ONE_KIND: Readonly<Record<string, PostKind>> = {
  restricted_action_thread_only_channel: "top-level",
  restricted_action_non_threadable_channel: "reply",
};
