import { Stack, Validations } from 'aws-cdk-lib';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';

/**
 * CDK's BucketDeployment runs a deploy-time function (one per stack, at the stack's root) whose
 * role and runtime CDK writes; only its findings are acknowledged, each for what it is.
 */
export function acknowledgeDeployment(deployment: BucketDeployment, bucket: Bucket): void {
  const role = deployment.handlerRole;
  const stack = Stack.of(deployment);
  const bucketId = stack.resolve(
    stack.getLogicalId(bucket.node.defaultChild as CfnBucket),
  ) as string;
  const findings: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      "CDK's deploy-time copy function: the managed basic execution policy only lets it write its own logs.",
    'AwsSolutions-IAM5[Action::s3:GetObject*]':
      "CDK's deploy-time copy function reads the widget's asset zip from CDK's asset bucket (read actions only).",
    'AwsSolutions-IAM5[Action::s3:GetBucket*]':
      "CDK's deploy-time copy function reads the asset and widget buckets' settings while it syncs the widget.",
    'AwsSolutions-IAM5[Action::s3:List*]':
      "CDK's deploy-time copy function lists the widget bucket to prune files no longer in the build.",
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]':
      "CDK's deploy-time copy function reads the widget asset from CDK's bootstrap asset bucket, whose object names are hashes.",
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]':
      "CDK's deploy-time copy function deletes widget files no longer in the build (prune), in the widget bucket only.",
    'AwsSolutions-IAM5[Action::s3:Abort*]':
      "CDK's deploy-time copy function aborts its own unfinished multipart uploads to the widget bucket.",
    [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`]:
      "CDK's deploy-time copy function writes every object of the widget bucket, which holds nothing but the build.",
    'AwsSolutions-IAM5[Resource::*]':
      "CDK's deploy-time copy function invalidates the widget's path on the distribution; CloudFront invalidation takes no resource-level permission in CDK's policy.",
  };
  for (const [id, reason] of Object.entries(findings))
    Validations.of(role).acknowledge({ id, reason });
  const handler = Stack.of(deployment).node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "CDK's deploy-time copy function: CDK pins its Python runtime and bundles the AWS CLI for it; it runs only during deployments.",
    });
  }
}
