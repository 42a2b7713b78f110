/** One problem with one environment variable. `message` never contains the value of a secret variable. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Startup configuration is invalid; the message lists every bad variable, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      issues.length === 1
        ? `invalid configuration: ${issues[0].variable}: ${issues[0].message}`
        : `invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
  }
}
