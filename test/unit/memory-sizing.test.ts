import {
  chooseMemorySize,
  type FunctionMeasurement,
  LAMBDA_PRICE,
  lambdaHeapFlags,
  modelSize,
  SIZING_RULE,
  vcpuShare,
} from '../bench/memory-model';

/** A light public function: fits 128 MB on CPU, so only memory decides. */
function measured(overrides: Partial<FunctionMeasurement> = {}): FunctionMeasurement {
  return {
    name: 'get-reactions',
    peakRssMb: 40,
    importCpuMs: 10,
    firstRequestCpuMs: 1,
    requestCpuUs: 100,
    dynamodbCalls: 1,
    visitorWaits: true,
    ...overrides,
  };
}

describe('vcpuShare', () => {
  it.each([
    [1769, 1],
    [884.5, 0.5],
    [442.25, 0.25],
    [3538, 1],
  ])('gives %p MB a vCPU share of %p, at most one for a single thread', (memoryMb, share) => {
    expect(vcpuShare(memoryMb)).toBeCloseTo(share, 6);
  });
});

describe('lambdaHeapFlags', () => {
  it.each([
    [128, ['--max-semi-space-size=4', '--max-old-space-size=116']],
    [256, ['--max-semi-space-size=8', '--max-old-space-size=231']],
    [512, ['--max-semi-space-size=17', '--max-old-space-size=461']],
  ])('limits V8 at %d MB as the Node.js runtime does', (memoryMb, flags) => {
    expect(lambdaHeapFlags(memoryMb)).toEqual(flags);
  });
});

describe('modelSize', () => {
  it('scales CPU time by the vCPU share and adds the DynamoDB waits to the warm time', () => {
    const model = modelSize(
      [measured({ importCpuMs: 100, firstRequestCpuMs: 20, requestCpuUs: 2000, dynamodbCalls: 2 })],
      256,
    );
    const slowdown = 1769 / 256;
    const [fn] = model.functions;
    expect(fn?.coldStartMs).toBeCloseTo(120 * slowdown, 6);
    expect(fn?.warmCpuMs).toBeCloseTo(2 * slowdown, 6);
    expect(fn?.warmMs).toBeCloseTo(2 * slowdown + 2 * SIZING_RULE.dynamodbCallMs, 6);
    expect(fn?.billedMs).toBe(Math.ceil(2 * slowdown + 2 * SIZING_RULE.dynamodbCallMs));
    expect(fn?.memoryShare).toBeCloseTo((40 + SIZING_RULE.runtimeAllowanceMb) / 256, 6);
  });

  it('prices a million requests at the billed milliseconds, rounded up, plus the request fee', () => {
    // 1,769 µs of CPU is 1 ms at one vCPU: 3.05 ms at 1,024 MB, billed as 4 ms.
    const model = modelSize([measured({ requestCpuUs: 1769, dynamodbCalls: 0 })], 1024);
    expect(model.functions[0]?.billedMs).toBe(4);
    expect(model.costPerMillion).toBeCloseTo(
      LAMBDA_PRICE.perMillionRequests + 1 * 0.004 * 1e6 * LAMBDA_PRICE.perGbSecond,
      9,
    );
  });

  it('prices only the public routes, not the tally batches', () => {
    const alone = modelSize([measured()], 512);
    const withTally = modelSize(
      [
        measured(),
        measured({ name: 'tally-reactions', requestCpuUs: 200_000, visitorWaits: false }),
      ],
      512,
    );
    expect(withTally.costPerMillion).toBe(alone.costPerMillion);
  });

  it('names the function that breaks each limit', () => {
    const model = modelSize(
      [
        measured({ name: 'list-comments', peakRssMb: 150 }),
        measured({ name: 'put-reaction', importCpuMs: 300, requestCpuUs: 9000 }),
      ],
      256,
    );
    expect(model.misses).toEqual([
      expect.stringContaining('list-comments uses'),
      expect.stringContaining('put-reaction starts in'),
      expect.stringContaining('put-reaction takes'),
    ]);
  });
});

describe('chooseMemorySize', () => {
  it.each([
    ['peak RSS', { peakRssMb: 100 }, 256],
    ['peak RSS near 60% of 512 MB', { peakRssMb: 290 }, 1024],
    ['the cold start', { importCpuMs: 120, firstRequestCpuMs: 30 }, 512],
    ['the warm request', { requestCpuUs: 5000, dynamodbCalls: 2 }, 512],
  ] as const)('lets %s decide when nothing else does', (_limit, overrides, chosenMb) => {
    expect(chooseMemorySize([measured(overrides)]).chosenMb).toBe(chosenMb);
  });

  it('chooses 128 MB when everything fits it', () => {
    expect(chooseMemorySize([measured()]).chosenMb).toBe(128);
  });

  it('holds the tally to the memory limit but not to the visitors’ latency limits', () => {
    const tally = measured({
      name: 'tally-reactions',
      importCpuMs: 400,
      requestCpuUs: 200_000,
      dynamodbCalls: 100,
      visitorWaits: false,
    });
    expect(chooseMemorySize([measured(), tally]).chosenMb).toBe(128);
    expect(chooseMemorySize([measured(), { ...tally, peakRssMb: 100 }]).chosenMb).toBe(256);
  });

  it('finds no size when DynamoDB waits alone exceed the warm limit', () => {
    const { chosenMb, models } = chooseMemorySize([measured({ dynamodbCalls: 6 })]);
    expect(chosenMb).toBeNull();
    expect(models.map((model) => model.memoryMb)).toEqual([128, 256, 512, 1024]);
  });

  it('compares the sizes it is given, smallest first', () => {
    const { chosenMb, models } = chooseMemorySize([measured({ peakRssMb: 90 })], [1024, 192]);
    expect(models.map((model) => model.memoryMb)).toEqual([192, 1024]);
    expect(chosenMb).toBe(192);
  });
});
