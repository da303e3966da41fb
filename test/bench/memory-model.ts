/**
 * From what a function measured here (memory.ts) to what it would do on Lambda at a given memory
 * size, and the rule that picks the size. Pure: the unit test feeds it made-up measurements.
 *
 * Lambda allocates CPU in proportion to memory; a Node function runs its JavaScript on one
 * thread, so the time its CPU work takes there is the CPU time measured here divided by its
 * share of a vCPU. This assumes one core here is as fast as one Graviton vCPU (there is no
 * arm64 machine to compare on), and third-party measurements report that the init phase runs
 * faster than its share, so the modelled cold start is an upper bound.
 */

/**
 * "At 1,769 MB, a function has the equivalent of one vCPU (one vCPU-second of credits per
 * second)": AWS Lambda Developer Guide, "Configuring Lambda function memory".
 */
export const MB_PER_VCPU = 1769;

/**
 * Lambda on arm64, US East (N. Virginia), on-demand: $0.0000133334 per GB-second (the first 7.5
 * billion GB-seconds a month) and $0.20 per million requests, from aws.amazon.com/lambda/pricing;
 * the rate published since arm64 functions launched in 2021 and still quoted in 2025 and 2026
 * copies of the page. Not re-checked live (no internet here). Since 1 August 2025 the init phase
 * of a ZIP function on a managed runtime is billed as well (AWS Compute Blog, "AWS Lambda
 * standardizes billing for INIT phase"). Billed duration is rounded up to the millisecond.
 */
export const LAMBDA_PRICE = {
  perGbSecond: 0.0000133334,
  perMillionRequests: 0.2,
  source: 'aws.amazon.com/lambda/pricing, arm64, us-east-1 (as published 2021-2026)',
} as const;

/**
 * The V8 heap limits Lambda's Node.js runtime sets from the memory size when NODE_OPTIONS sets
 * none: about a tenth of the memory for the young generation, the rest for the old (after the
 * runtime's bootstrap script as published by third parties who unpacked it, and AWS's own
 * container samples that copy it). Without them V8 sizes its heap for this whole machine and
 * lets garbage pile up far beyond what it would on Lambda.
 */
export function lambdaHeapFlags(memoryMb: number): string[] {
  const youngMb = Math.floor(memoryMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(youngMb / 3)}`,
    `--max-old-space-size=${memoryMb - youngMb}`,
  ];
}

/** The sizes the model compares; Lambda takes any size from 128 to 10,240 MB. */
export const CANDIDATE_SIZES_MB = [128, 256, 512, 1024] as const;

export interface SizingRule {
  /** Peak RSS plus the runtime's allowance may use at most this share of the memory size. */
  maxMemoryShare: number;
  /**
   * What the Lambda runtime adds to the process that cannot be measured here: its runtime
   * interface client (JavaScript and an HTTP client polling the Runtime API, in the same Node
   * process) and the sandbox's init process, in MB.
   */
  runtimeAllowanceMb: number;
  /** Most our cold start (import and first request, modelled) may take, in ms. */
  maxColdStartMs: number;
  /** Most one warm request (modelled CPU work and DynamoDB waits) may take, in ms. */
  maxWarmMs: number;
  /**
   * Assumed, not measured: the wait for one DynamoDB call, in ms (DynamoDB's "single-digit
   * millisecond" latency, taken at its top end). The same at every size; it counts towards the
   * warm limit, and the function is billed for the wait.
   */
  dynamodbCallMs: number;
}

/**
 * The house rule: the smallest size at which
 * - every function keeps its peak RSS, plus the runtime's allowance, under 60% of the memory,
 *   leaving room for a bigger page or batch than the benchmark's and for garbage not yet
 *   collected;
 * - every function a visitor waits on (the public routes) starts in at most 1 s of its own work
 *   (import and first request): with one function per route, a quiet site sees cold starts
 *   often, and 1 s is about as long as a wait can be without losing the reader's attention;
 * - and answers a warm request in at most 50 ms of its own (CPU work and DynamoDB waits): half of
 *   the 100 ms in which an action feels instant, the other half for the visitor's network and
 *   API Gateway.
 * Operators' routes and the stream's tally need only fit in memory: nobody on the page waits on
 * them, and their time shows in the cost.
 */
export const SIZING_RULE: SizingRule = {
  maxMemoryShare: 0.6,
  runtimeAllowanceMb: 20,
  maxColdStartMs: 1000,
  maxWarmMs: 50,
  dynamodbCallMs: 9,
};

/** What memory.ts measured for one function. */
export interface FunctionMeasurement {
  name: string;
  /**
   * The most resident memory the process had, serving requests included, in MB; measured with
   * V8 limited as at the configured size (at a smaller one it collects sooner, at a larger later).
   */
  peakRssMb: number;
  /** CPU time of the cold import, in ms. */
  importCpuMs: number;
  /** CPU time of the first request (the SDK's lazy set-up, the first connection), in ms. */
  firstRequestCpuMs: number;
  /** CPU time of one warm request, in µs. */
  requestCpuUs: number;
  /** DynamoDB calls one request makes. */
  dynamodbCalls: number;
  /** Whether a visitor waits on it (a public route), so its latency limits apply. */
  visitorWaits: boolean;
}

/** One function at one size, as the model sees it. */
export interface FunctionAtSize {
  name: string;
  memoryShare: number;
  coldStartMs: number;
  warmCpuMs: number;
  /** Warm CPU time plus the DynamoDB waits. */
  warmMs: number;
  /** warmMs rounded up to the millisecond, as Lambda bills. */
  billedMs: number;
  visitorWaits: boolean;
}

export interface SizeModel {
  memoryMb: number;
  functions: FunctionAtSize[];
  /**
   * The function that comes closest to each limit: of all functions for memory, of those a
   * visitor waits on for the cold start and the warm request.
   */
  worst: { memory: FunctionAtSize; coldStart: FunctionAtSize; warm: FunctionAtSize };
  /** Dollars for a million warm requests spread evenly over the public routes' functions. */
  costPerMillion: number;
  /** Dollars for one cold start of the slowest-starting public function (init is billed). */
  coldStartCost: number;
  /** The limits this size breaks, in words; empty when it fits the rule. */
  misses: string[];
}

/** The share of a vCPU a function of this size gets; one thread cannot use more than one. */
export function vcpuShare(memoryMb: number): number {
  return Math.min(1, memoryMb / MB_PER_VCPU);
}

function atSize(fn: FunctionMeasurement, memoryMb: number, rule: SizingRule): FunctionAtSize {
  const slowdown = 1 / vcpuShare(memoryMb);
  const warmCpuMs = (fn.requestCpuUs / 1000) * slowdown;
  const warmMs = warmCpuMs + fn.dynamodbCalls * rule.dynamodbCallMs;
  return {
    name: fn.name,
    memoryShare: (fn.peakRssMb + rule.runtimeAllowanceMb) / memoryMb,
    coldStartMs: (fn.importCpuMs + fn.firstRequestCpuMs) * slowdown,
    warmCpuMs,
    warmMs,
    billedMs: Math.ceil(warmMs),
    visitorWaits: fn.visitorWaits,
  };
}

function largest(
  functions: readonly FunctionAtSize[],
  by: (fn: FunctionAtSize) => number,
): FunctionAtSize {
  const [first, ...rest] = functions;
  if (!first) throw new Error('memory model: no functions to compare');
  return rest.reduce((top, fn) => (by(fn) > by(top) ? fn : top), first);
}

export function modelSize(
  measurements: readonly FunctionMeasurement[],
  memoryMb: number,
  rule: SizingRule = SIZING_RULE,
): SizeModel {
  const functions = measurements.map((fn) => atSize(fn, memoryMb, rule));
  const waitedOn = functions.filter((fn) => fn.visitorWaits);
  const worst = {
    memory: largest(functions, (fn) => fn.memoryShare),
    coldStart: largest(waitedOn, (fn) => fn.coldStartMs),
    warm: largest(waitedOn, (fn) => fn.warmMs),
  };
  const gb = memoryMb / 1024;
  const meanBilledSeconds =
    waitedOn.reduce((sum, fn) => sum + fn.billedMs, 0) / waitedOn.length / 1000;
  const misses: string[] = [];
  if (worst.memory.memoryShare > rule.maxMemoryShare) {
    misses.push(
      `${worst.memory.name} uses ${pct(worst.memory.memoryShare, 1)} > ${pct(rule.maxMemoryShare)}`,
    );
  }
  if (worst.coldStart.coldStartMs > rule.maxColdStartMs) {
    misses.push(
      `${worst.coldStart.name} starts in ${ms(worst.coldStart.coldStartMs)} > ${rule.maxColdStartMs} ms`,
    );
  }
  if (worst.warm.warmMs > rule.maxWarmMs) {
    misses.push(
      `${worst.warm.name} takes ${ms(worst.warm.warmMs)} a request > ${rule.maxWarmMs} ms`,
    );
  }
  return {
    memoryMb,
    functions,
    worst,
    costPerMillion:
      LAMBDA_PRICE.perMillionRequests + gb * meanBilledSeconds * 1e6 * LAMBDA_PRICE.perGbSecond,
    coldStartCost: gb * (Math.ceil(worst.coldStart.coldStartMs) / 1000) * LAMBDA_PRICE.perGbSecond,
    misses,
  };
}

/** The smallest candidate size that fits the rule, or null when none does. */
export function chooseMemorySize(
  measurements: readonly FunctionMeasurement[],
  sizes: readonly number[] = CANDIDATE_SIZES_MB,
  rule: SizingRule = SIZING_RULE,
): { chosenMb: number | null; models: SizeModel[] } {
  const models = [...sizes]
    .sort((a, b) => a - b)
    .map((size) => modelSize(measurements, size, rule));
  return { chosenMb: models.find((model) => model.misses.length === 0)?.memoryMb ?? null, models };
}

function pct(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)}%`;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
