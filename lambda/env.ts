/**
 * The names of the environment variables a function reads. Dependency-free on purpose: the CDK
 * app (lib/) sets these variables and imports only this module, so `cdk synth` loads neither the
 * repositories nor the AWS SDK.
 */

export const TABLE_NAME_ENV = 'TABLE_NAME';
export const SECRET_ENV = 'TALKBACK_SECRET';
export const JSON_FAST_PATH_ENV = 'TALKBACK_JSON_FAST_PATH';
/** The deployment settings as JSON (lambda/domain/settings.ts). */
export const SETTINGS_ENV = 'TALKBACK_SETTINGS';
