import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  Billing,
  type GlobalSecondaryIndexPropsV2,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type IndexDefinition,
  type KeyAttribute,
  TABLE_DEFINITION,
  type TableDefinition,
} from '../lambda/store/table-definition';

export interface TalkbackTableProps {
  /**
   * A disposable dev stack: the table is deleted with the stack and has no deletion
   * protection. Default false: the table and its comments outlive the stack.
   */
  destroyOnRemoval?: boolean;
  /** Default: the shared TABLE_DEFINITION, which the local bootstrap uses too. */
  definition?: TableDefinition;
}

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

function globalIndex(index: IndexDefinition): GlobalSecondaryIndexPropsV2 {
  const { projection } = index;
  return {
    indexName: index.indexName,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
    ...(projection === 'ALL'
      ? { projectionType: ProjectionType.ALL }
      : projection === 'KEYS_ONLY'
        ? { projectionType: ProjectionType.KEYS_ONLY }
        : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: projection.include }),
  };
}

const STREAM_VIEW: Record<TableDefinition['stream'], StreamViewType> = {
  KEYS_ONLY: StreamViewType.KEYS_ONLY,
};

/** The one Talkback table: comments, counts and votes (see docs/architecture.md for the item types). */
export class TalkbackTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: TalkbackTableProps = {}) {
    super(scope, id);
    const definition = props.definition ?? TABLE_DEFINITION;
    const destroy = props.destroyOnRemoval ?? false;
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      globalSecondaryIndexes: definition.globalIndexes.map(globalIndex),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      // The reaction tally reads the stream (lib/reaction-tally.ts). Keys only: no attribute,
      // and so no email, ever leaves the table this way.
      dynamoStream: STREAM_VIEW[definition.stream],
      // Comment traffic follows publishing and is spiky: pay per request, nothing to tune.
      billing: Billing.onDemand(),
      // The AWS managed key (aws/dynamodb): encrypted at rest and visible in KMS and CloudTrail,
      // with no customer-managed key to administer.
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !destroy,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }
}
