import type { Node } from 'constructs';

/** What a deployment is configured with: CDK context, from cdk.json or `-c key=value`. */
export interface DeploymentSettings {
  /** The identity provider's issuer, exactly as tokens carry it in `iss`. */
  jwtIssuer: string;
  /** Accepted `aud` (or Cognito `client_id`) values. */
  jwtAudience: string[];
  /** The shop's address: `downloadUrl`s are `<publicBaseUrl>/downloads/<token>`. */
  publicBaseUrl: string;
  /** The From address of delivery emails. */
  senderEmail: string;
}

const EXAMPLES: Record<keyof DeploymentSettings, string> = {
  jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
  jwtAudience: 'digital-downloads (or a,b for several, or a JSON array in cdk.json)',
  publicBaseUrl: 'https://shop.example.com',
  senderEmail: 'downloads@shop.example.com',
};

const httpsUrl = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.search && !url.hash ? value : undefined;
  } catch {
    return undefined;
  }
};

/** `-c jwtAudience=a,b` arrives as a string; cdk.json may hold an array or a JSON array in a string. */
const audiences = (value: unknown): string[] | undefined => {
  let list: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        list = JSON.parse(text);
      } catch {
        return undefined;
      }
    } else list = text.split(',');
  }
  if (!Array.isArray(list)) return undefined;
  const cleaned = list.map((a) => (typeof a === 'string' ? a.trim() : '')).filter((a) => a.length > 0);
  return cleaned.length > 0 && cleaned.length === list.length ? cleaned : undefined;
};

const email = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? value.trim() : undefined;

/**
 * Reads and checks the deployment settings from CDK context. Every problem is
 * reported at once, with the key to set and an example, before any stack is built.
 */
export const readSettings = (node: Node): DeploymentSettings => {
  const raw = (key: keyof DeploymentSettings): unknown => node.tryGetContext(key);
  const problems: string[] = [];
  const check = <T>(key: keyof DeploymentSettings, parsed: T | undefined, rule: string): T => {
    if (parsed === undefined) {
      const got = raw(key);
      problems.push(`  ${key}: ${rule}; got ${got === undefined ? 'nothing' : JSON.stringify(got)}. Example: -c ${key}=${EXAMPLES[key]}`);
    }
    return parsed as T;
  };

  const jwtIssuer = check('jwtIssuer', httpsUrl(raw('jwtIssuer')), 'must be the https issuer URL of the identity provider');
  const jwtAudience = check('jwtAudience', audiences(raw('jwtAudience')), 'must name at least one audience, none empty');
  const publicBaseUrl = check('publicBaseUrl', httpsUrl(raw('publicBaseUrl')), 'must be the https address of the shop');
  const senderEmail = check('senderEmail', email(raw('senderEmail')), 'must be an email address');

  if (problems.length > 0) {
    throw new Error(`Invalid CDK context (set it in cdk.json "context" or with -c key=value):\n${problems.join('\n')}`);
  }
  return { jwtIssuer, jwtAudience, publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''), senderEmail };
};
