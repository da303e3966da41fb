/**
 * The names of the environment variables a function reads. Dependency-free on purpose: the CDK
 * app (lib/) sets these variables and imports only this module, so `cdk synth` loads neither the
 * repositories nor the AWS SDK.
 */

export const TABLE_NAME_ENV = 'TABLE_NAME';
/** The hashing secret itself: only where no ARN is set (the local server, tests). */
export const SECRET_ENV = 'TALKBACK_SECRET';
/** The Secrets Manager secret that holds the hashing key, on the functions that hash. */
export const SECRET_ARN_ENV = 'TALKBACK_SECRET_ARN';
export const JSON_FAST_PATH_ENV = 'TALKBACK_JSON_FAST_PATH';
/** The deployment settings as JSON (lambda/domain/settings.ts). */
export const SETTINGS_ENV = 'TALKBACK_SETTINGS';
/**
 * The value CloudFront sends in ORIGIN_VERIFY_HEADER to the API (lib/talkback-edge.ts): a
 * request carrying it came through the CDN, so its CloudFront-Viewer-Address is the reader's.
 * Set on the write functions only (their rate limits are per client); unset locally and in
 * tests, where the client is the connection's source address.
 */
export const ORIGIN_VERIFY_ENV = 'TALKBACK_ORIGIN_VERIFY';
/** The custom header CloudFront adds to requests to the API origin, holding that value. */
export const ORIGIN_VERIFY_HEADER = 'x-talkback-origin-verify';
