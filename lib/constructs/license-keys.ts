import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ResourceNames } from '../names';

export interface LicenseKeyringProps {
  readonly names: ResourceNames;
}

/**
 * The keyring license certificates are signed with (stateful: it lives in the
 * data stack and is retained). Same format as the link-signing key set, so
 * Secrets Manager generates the first key itself: `{ "currentKid": "k1",
 * "k1": "<seed>" }`, each kid's secret seeding an Ed25519 key pair
 * (core/license-certificate.ts). The licenses and license-log tables come
 * from `TABLES` with the others (Storage); their grants are per function
 * (lib/function-access.ts); the activation routes are public and throttled
 * (lib/http-api.ts).
 */
export class LicenseKeyring extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: LicenseKeyringProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.names.licenseKeySecret,
      description:
        'Digital downloads: seeds of the Ed25519 keys that sign license certificates. currentKid signs; every other kN stays published until its retireAt date.',
      // Changing this template makes Secrets Manager generate a new keyring: certificates already issued would stop verifying.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ currentKid: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is an operator step (docs/license-keys.md): add kN+1, point currentKid at it, give the previous kid a retireAt past the longest certificate life; certificates issued before keep verifying. Not a rotation Lambda in v1.',
    });
    new CfnOutput(scope, 'LicenseKeySecretArn', {
      value: this.secret.secretArn,
      description: 'The license-certificate keyring (rotation: docs/license-keys.md)',
    });
  }
}
