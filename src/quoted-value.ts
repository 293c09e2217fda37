/** A whole value in matching straight quotes, or in the curly ones a document pastes. */
const QUOTED = /^(?:".*"|'.*'|\u201C.*\u201D|\u2018.*\u2019)$/s;

/**
 * Whether a value is wrapped in quotes: docker's `--env-file`, or a secret file written as a
 * `.env` line, keeps them, where the value meant is inside.
 */
export const isQuoted = (value: string): boolean => QUOTED.test(value);
