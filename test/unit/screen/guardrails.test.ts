import {
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  type GuardrailContentFilter,
  type GuardrailContentFilterConfidence,
  type GuardrailContentFilterType,
  type GuardrailContentPolicyAction,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { guardrailScreen } from '../../../lambda/screen/guardrails';

const bedrock = mockClient(BedrockRuntimeClient);
const screen = guardrailScreen(new BedrockRuntimeClient({ region: 'eu-west-1' }), {
  guardrailId: 'gr-talkback',
  guardrailVersion: '3',
});
const input = { articleId: 'a-1', authorName: 'Ada', body: 'You are all fools.' };
const signal = () => new AbortController().signal;

const filter = (
  type: GuardrailContentFilterType,
  confidence: GuardrailContentFilterConfidence,
  action: GuardrailContentPolicyAction = 'BLOCKED',
): GuardrailContentFilter => ({
  type,
  confidence,
  filterStrength: 'MEDIUM',
  action,
  detected: action === 'BLOCKED',
});

describe('guardrailScreen', () => {
  beforeEach(() => bedrock.reset());

  it('applies the guardrail to the name and the body, in one block of input, invoking no model', async () => {
    bedrock.on(ApplyGuardrailCommand).resolves({ action: 'NONE', outputs: [], assessments: [] });
    await screen(input, signal());
    expect(bedrock).toHaveReceivedCommandTimes(ApplyGuardrailCommand, 1);
    expect(bedrock.commandCalls(ApplyGuardrailCommand)[0]?.args[0].input).toStrictEqual({
      guardrailIdentifier: 'gr-talkback',
      guardrailVersion: '3',
      source: 'INPUT',
      content: [{ text: { text: 'Ada\n\nYou are all fools.' } }],
    });
  });

  it('publishes when the guardrail does not intervene', async () => {
    bedrock.on(ApplyGuardrailCommand).resolves({ action: 'NONE', outputs: [], assessments: [{}] });
    await expect(screen(input, signal())).resolves.toEqual({ action: 'publish' });
  });

  it('holds with each filter that blocked, as screen:<label> with its confidence', async () => {
    bedrock.on(ApplyGuardrailCommand).resolves({
      action: 'GUARDRAIL_INTERVENED',
      outputs: [{ text: 'blocked' }],
      assessments: [
        {
          contentPolicy: {
            filters: [
              filter('INSULTS', 'HIGH'),
              filter('HATE', 'MEDIUM'),
              filter('VIOLENCE', 'LOW', 'NONE'),
            ],
          },
        },
      ],
    });
    await expect(screen(input, signal())).resolves.toEqual({
      action: 'hold',
      reasons: ['screen:insults', 'screen:hate'],
      scores: { insults: 'HIGH', hate: 'MEDIUM' },
    });
  });

  it('holds, saying so, when it intervened on a policy that is not a content filter', async () => {
    bedrock.on(ApplyGuardrailCommand).resolves({
      action: 'GUARDRAIL_INTERVENED',
      outputs: [],
      assessments: [{ wordPolicy: { customWords: [], managedWordLists: [] } }],
    });
    await expect(screen(input, signal())).resolves.toEqual({
      action: 'hold',
      reasons: ['screen:guardrail'],
    });
  });

  it('lets a service fault through, for the screen to hold the comment', async () => {
    bedrock
      .on(ApplyGuardrailCommand)
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    await expect(screen(input, signal())).rejects.toBeInstanceOf(ThrottlingException);
  });
});
