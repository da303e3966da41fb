/**
 * The two root secrets every key comes from (lambda/domain/keyring.ts, docs/operations.md
 * "Keys"), and the one way a function is let read a secret.
 */
import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * Both secrets, in `scope` (the API construct). The hashing secret's id, description and
 * generation are as deployed stacks made them: a new logical id or generation would make
 * CloudFormation generate a new value, which orphans every stored hash (a stack test pins its
 * logical id).
 */
export function rootSecrets(
  scope: Construct,
  removalPolicy: RemovalPolicy,
): { hashing: Secret; links: Secret } {
  // The root of the stored hashes' keys (visitor, client, email, reader and edit-token hashes,
  // mail markers, which are under it directly) and of the cursors' key (derived).
  const hashing = rootSecret(
    scope,
    'HashSecret',
    'Talkback: key of the visitorId and edit-token hashes',
    removalPolicy,
    'The secret keys hashes stored in the table (visitor votes, edit tokens, email hashes ' +
      'for erasure and the first-time policy) that must stay verifiable: rotating it would ' +
      'let visitors vote again, void edit tokens and cursors, and detach authors from their ' +
      'comments, so it is not rotated. It is never in a function configuration; only the ' +
      'functions that hash may read it.',
  );
  // The root of the mail links' keys (subscription and moderation links, derived): only the
  // functions that sign or check those links may read it, so no other function can forge one.
  const links = rootSecret(
    scope,
    'LinkSecret',
    "Talkback: root of the mail links' keys (confirm, unsubscribe, moderation)",
    removalPolicy,
    'The secret signs links already in mailboxes (unsubscribe links never expire): rotating ' +
      'it voids them, so it is rotated by hand as docs/operations.md describes. It is never in ' +
      'a function configuration; only the functions that sign or check links may read it.',
  );
  return { hashing, links };
}

/**
 * A generated secret of 64 characters, and why cdk-nag's rule that secrets rotate does not fit
 * it (`unrotated`).
 */
function rootSecret(
  scope: Construct,
  id: string,
  description: string,
  removalPolicy: RemovalPolicy,
  unrotated: string,
): Secret {
  const secret = new Secret(scope, id, {
    description,
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
    removalPolicy,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: unrotated });
  return secret;
}

/**
 * secretsmanager:GetSecretValue on the one secret (Secret.grantRead would add DescribeSecret,
 * which nothing needs), on a condition where given.
 */
export function grantSecretRead(
  grantee: IGrantable,
  secret: ISecret,
  condition?: Record<string, Record<string, unknown>>,
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
      ...(condition ? { conditions: condition } : {}),
    }),
  );
}
