/**
 * Errors that carry a stable code, whether trying again can help, and a sentence that tells the
 * operator what to do. The message never contains a secret.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Where most configuration problems are explained: they are about a variable. */
export const VARIABLES_HELP = "See .env.example and docs/configuration.md for every variable.";

/** A bad configuration: one line per problem, each naming the variable. Exit code 2. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  /** The line that points at the help for these problems. */
  readonly see: string;

  constructor(problems: readonly string[], see = VARIABLES_HELP) {
    super(
      "CONFIG_INVALID",
      `configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
    this.see = see;
  }
}

/** Wrong words on the command line. Exit code 2 with the usage. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("USAGE", message);
    this.name = "UsageError";
  }
}

/**
 * This release cannot run on the database (a newer release, or one whose migrations differ,
 * migrated it) or on its own migrations folder: only another release or a backup fixes it, never
 * a restart. Exit code 2, as a bad configuration, which a service manager does not restart into.
 */
export class ReleaseMismatchError extends AppError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "ReleaseMismatchError";
  }
}
