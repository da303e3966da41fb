import { ArnFormat, Stack } from 'aws-cdk-lib';
import { CfnGuardrail, CfnGuardrailVersion } from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';

/** The content filters the screen uses, by the label its hold reasons carry. */
export const GUARDRAIL_FILTERS = ['hate', 'insults', 'sexual', 'violence', 'misconduct'] as const;
export type GuardrailFilter = (typeof GUARDRAIL_FILTERS)[number];
export const FILTER_STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type FilterStrength = (typeof FILTER_STRENGTHS)[number];

export interface TalkbackGuardrailProps {
  /** Each filter's strength on input (HIGH holds the most, NONE turns it off). */
  strengths: Record<GuardrailFilter, FilterStrength>;
  /**
   * The cross-Region guardrail profile (`eu.guardrail.v1:0`): with one the filters run on the
   * Standard tier, tuned for far more languages; without, the Classic tier (English, French,
   * Spanish). See docs/screening.md.
   */
  profile: string | undefined;
}

/**
 * The Bedrock guardrail the comment functions screen with (ApplyGuardrail on input, no model),
 * and a version of it, so that a change of thresholds is a new version the functions move to.
 */
export class TalkbackGuardrail extends Construct {
  readonly guardrail: CfnGuardrail;
  readonly version: CfnGuardrailVersion;

  constructor(scope: Construct, id: string, props: TalkbackGuardrailProps) {
    super(scope, id);
    const { profile } = props;
    this.guardrail = new CfnGuardrail(this, 'Guardrail', {
      name: 'talkback-comments',
      description: 'Talkback: screens new and edited comments before a human',
      // Never shown: a held comment is answered as any pending one.
      blockedInputMessaging: 'Held for moderation.',
      blockedOutputsMessaging: 'Held for moderation.',
      contentPolicyConfig: {
        filtersConfig: GUARDRAIL_FILTERS.map((filter) => ({
          type: filter.toUpperCase(),
          inputStrength: props.strengths[filter],
          // Only input is screened: no model answers here.
          outputStrength: 'NONE',
        })),
        contentFiltersTierConfig: { tierName: profile ? 'STANDARD' : 'CLASSIC' },
      },
      ...(profile ? { crossRegionConfig: { guardrailProfileArn: this.profileArn(profile) } } : {}),
    });
    this.version = new CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      // A new description makes a new version when the thresholds change.
      description: `filters ${GUARDRAIL_FILTERS.map((f) => `${f}=${props.strengths[f]}`).join(' ')}`,
    });
  }

  /** The cross-Region profile as seen from this stack's Region. */
  profileArn(profile: string): string {
    return Stack.of(this).formatArn({
      service: 'bedrock',
      resource: 'guardrail-profile',
      resourceName: profile,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
