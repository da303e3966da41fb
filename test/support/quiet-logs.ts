// Handlers write one log line per request, and a metrics line when they counted something;
// tests that look at either capture them themselves.
import { setLogSink } from '../../lambda/http/log';
import { setMetricsSink } from '../../lambda/http/metrics';

setLogSink(() => {});
setMetricsSink(() => {});
