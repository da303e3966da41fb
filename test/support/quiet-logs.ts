// Handlers write one log line per request; tests that look at logs capture them themselves.
import { setLogSink } from '../../lambda/http/log';

setLogSink(() => {});
