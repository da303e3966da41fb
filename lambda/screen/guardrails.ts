/**
 * The content screen on AWS: Amazon Bedrock Guardrails' ApplyGuardrail, which runs the
 * guardrail's content filters (hate, insults, sexual, violence, misconduct) on the text alone,
 * invoking no model. Loaded only where screening is `guardrails` (screen/screening-from.ts).
 */
import {
  ApplyGuardrailCommand,
  type ApplyGuardrailCommandOutput,
  BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';
import type { ContentScreen, ScreenVerdict } from '../domain/screen';

export interface GuardrailConfig {
  guardrailId: string;
  guardrailVersion: string;
}

/** What the guardrail found: each filter that blocked or detected, by label (`insults`). */
function verdictOf(output: ApplyGuardrailCommandOutput): ScreenVerdict {
  const scores: Record<string, string> = {};
  for (const assessment of output.assessments ?? []) {
    for (const filter of assessment.contentPolicy?.filters ?? []) {
      if (filter.action !== 'BLOCKED' && filter.detected !== true) continue;
      scores[String(filter.type).toLowerCase()] = String(filter.confidence);
    }
  }
  const labels = Object.keys(scores);
  if (output.action !== 'GUARDRAIL_INTERVENED' && labels.length === 0) return { action: 'publish' };
  // Intervened on a policy this adapter does not read: still a human's call, with that said.
  if (labels.length === 0) return { action: 'hold', reasons: ['screen:guardrail'] };
  return { action: 'hold', reasons: labels.map((label) => `screen:${label}`), scores };
}

/**
 * The author's name and the body as one text block of the input: Guardrails bills by text unit
 * (up to 1,000 characters) per block, so one block keeps most comments to one unit. A model's
 * verdict holds for a human, never makes spam: only house rules do that.
 */
export function guardrailScreen(
  client: BedrockRuntimeClient,
  config: GuardrailConfig,
): ContentScreen {
  return async (input, signal) => {
    const output = await client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: config.guardrailId,
        guardrailVersion: config.guardrailVersion,
        source: 'INPUT',
        content: [{ text: { text: `${input.authorName}\n\n${input.body}` } }],
      }),
      { abortSignal: signal },
    );
    return verdictOf(output);
  };
}

/** One client per instance; the screen's own time bound cancels a slow call. */
export function createGuardrailScreen(config: GuardrailConfig): ContentScreen {
  return guardrailScreen(new BedrockRuntimeClient({ maxAttempts: 2 }), config);
}
