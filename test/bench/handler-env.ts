/**
 * Handler modules build their runtime from the environment when they are first imported (and
 * fail without TABLE_NAME and TALKBACK_SECRET). The benchmarks hand every handler its own
 * runtime, so the one built at import is never used: this gives the environment a harmless
 * configuration for the moment of the import only, because later phases start processes that
 * inherit the environment.
 */
export const BENCH_SECRET = 'bench-secret-0123456789-0123456789-abcdef';

const IMPORT_ENV: Record<string, string> = {
  TABLE_NAME: 'talkback-bench',
  TALKBACK_SECRET: BENCH_SECRET,
  AWS_REGION: 'eu-west-1',
};

export async function withHandlerEnv<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(
    Object.keys(IMPORT_ENV).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, IMPORT_ENV);
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
