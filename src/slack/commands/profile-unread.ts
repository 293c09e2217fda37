import { classifySlackError, lacksScope, missingScopeWords } from "../failure.js";
import { TOKEN_REFUSED } from "../setup-codes.js";

/**
 * What someone is told when `whose` Slack profile ("your", "<@U1>'s") could not be read: the scope
 * the app lacks or the token Slack refused (trying again would not help), else to try again in a
 * minute. Not that the account has no e-mail: Slack did not say.
 */
export function profileUnread(whose: string, error: unknown): string {
  const failure = classifySlackError(error);
  const scope = missingScopeWords(failure);
  if (scope) return `I could not read ${whose} Slack profile: ${scope}.`;
  return TOKEN_REFUSED.has(failure.code)
    ? `I could not read ${whose} Slack profile: Slack refused the bot's token. Tell whoever runs mcp-activity (SLACK_BOT_TOKEN needs replacing).`
    : `I could not read ${whose} Slack profile right now; try again in a minute.`;
}

/** What someone is told when Slack gives no e-mail at all (`whose`, as above), for want of `scope`. */
export function emailWithheld(whose: string, scope: string): string {
  return `I cannot read ${whose} e-mail address in Slack: ${lacksScope(scope)}.`;
}
