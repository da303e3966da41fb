/**
 * The CDN's optional settings, read from CDK context like the rest (lib/settings-from-context.ts):
 *
 * - `domainName` and `certificateArn`, together: the distribution answers on that name with an
 *   ACM certificate, which CloudFront requires to be in us-east-1, and then refuses anything
 *   older than TLS 1.2 (security policy TLSv1.2_2021).
 * - `webAclArn`: an existing AWS WAF web ACL of scope CLOUDFRONT (these live in us-east-1; any
 *   stack region may name one), or `wafRateLimit`: requests per 5 minutes per client address
 *   above which a web ACL this stack creates blocks the address (only in a stack deployed to
 *   us-east-1). Not both.
 */
import type { Node } from 'constructs';
import { fail, text } from './settings-from-context';
import type { EdgeDomain, EdgeFirewall } from './talkback-edge';

export interface EdgeConfig {
  domain: EdgeDomain | undefined;
  firewall: EdgeFirewall | undefined;
}

const CERTIFICATE_ARN = /^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;
const WEB_ACL_ARN = /^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function edgeFromContext(node: Node): EdgeConfig {
  const domainName = text(node, 'domainName');
  const certificateArn = text(node, 'certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    fail(
      domainName === undefined ? 'domainName' : 'certificateArn',
      'domainName and certificateArn go together',
    );
  }
  if (domainName !== undefined && !DOMAIN.test(domainName)) {
    fail('domainName', `must be a host name such as comments.news.example, got ${domainName}`);
  }
  if (certificateArn !== undefined && !CERTIFICATE_ARN.test(certificateArn)) {
    fail(
      'certificateArn',
      'must be the ARN of an ACM certificate in us-east-1 (CloudFront uses no other region)',
    );
  }
  const webAclArn = text(node, 'webAclArn');
  const rawRate: unknown = node.tryGetContext('wafRateLimit');
  if (webAclArn !== undefined && rawRate !== undefined) {
    fail('wafRateLimit', 'give either webAclArn or wafRateLimit, not both');
  }
  if (webAclArn !== undefined && !WEB_ACL_ARN.test(webAclArn)) {
    fail(
      'webAclArn',
      'must be the ARN of a WAF web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:…:global/webacl/…)',
    );
  }
  let firewall: EdgeFirewall | undefined;
  if (webAclArn !== undefined) firewall = { webAclArn };
  if (rawRate !== undefined) {
    const rate = typeof rawRate === 'string' ? Number(rawRate) : rawRate;
    // WAF's own bounds for a rate-based rule's limit.
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 10 || rate > 2_000_000_000) {
      fail(
        'wafRateLimit',
        `must be a whole number of requests per 5 minutes from 10, got ${JSON.stringify(rawRate)}`,
      );
    }
    firewall = { requestsPerFiveMinutesPerAddress: rate };
  }
  return {
    domain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
    firewall,
  };
}
