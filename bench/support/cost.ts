/**
 * What a million downloads cost in AWS, from the bench's measured figures
 * and the deployed settings. Prices: AWS list prices, us-east-1, as of
 * PRICES_AS_OF (DynamoDB on-demand since its 2024-11-01 cut); check them
 * before quoting. Data transfer is shown apart (it scales with bytes, not
 * with downloads).
 */
export const PRICES_AS_OF = '2025-07';

export const PRICES = {
  /** Lambda arm64, per GB-second and per request. */
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** HTTP API, per request (first 300 million a month). */
  httpApiRequest: 1.0 / 1e6,
  /** CloudFront HTTPS requests, US/Europe ($0.0100 per 10,000): /downloads/* reaches the API through it. */
  cloudFrontRequest: 0.01 / 1e4,
  /** DynamoDB on-demand, per write request unit. */
  dynamoWru: 0.625 / 1e6,
  /** S3 Standard GET. */
  s3Get: 0.0004 / 1e3,
  /** S3 to the internet, per GB (first 10 TB a month). */
  s3TransferGb: 0.09,
};

/** One vCPU at 1,769 MB; below that a function gets that fraction of a core (Lambda's documented ratio). */
const MB_PER_VCPU = 1769;

export interface CostInputs {
  /** The download function's memory (lib/function-access.ts). */
  memoryMb: number;
  /** Handler CPU per download, warm, measured (bench figure 3c: the wire client over a real socket). */
  handlerCpuUs: number;
  /** DynamoDB's answer time to the redeem in the region: not measurable locally (DynamoDB Local is not DynamoDB). */
  dynamoRoundTripMs: number;
  /** Write units of one redeem: the item (≤ 1 KB) and each index that projects the changed attributes. */
  redeemWru: number;
  /** Write units of the link log's entry for it (written asynchronously from the stream, batched). */
  logWru: number;
  /** Stream records per link-log invocation (the event source mapping's batch size; fewer when traffic is low). */
  logBatch: number;
  logMemoryMb: number;
  /** The link-log function's duration per batch (assumed). */
  logBatchMs: number;
}

export interface CostLine {
  item: string;
  formula: string;
  usd: number;
}

export const costPerMillion = (x: CostInputs): { lines: CostLine[]; total: number; billedMs: number; transferPerGb: number } => {
  const share = Math.min(1, x.memoryMb / MB_PER_VCPU);
  const cpuMs = x.handlerCpuUs / 1000 / share;
  // Lambda bills each invocation's duration rounded up to the millisecond.
  const billedMs = Math.ceil(cpuMs + x.dynamoRoundTripMs);
  const gb = x.memoryMb / 1024;
  const n = 1e6;
  const lines: CostLine[] = [
    {
      item: `Lambda download (arm64, ${x.memoryMb} MB)`,
      formula: `10⁶ × (⌈${round(x.handlerCpuUs, 0)} µs ÷ ${round(share, 3)} + ${x.dynamoRoundTripMs} ms⌉ = ${billedMs} ms × ${round(gb, 2)} GB × $${PRICES.lambdaArmGbSecond}/GB-s + $0.20/10⁶)`,
      usd: n * ((billedMs / 1000) * gb * PRICES.lambdaArmGbSecond + PRICES.lambdaRequest),
    },
    { item: 'API Gateway HTTP API', formula: '10⁶ × $1.00/10⁶', usd: n * PRICES.httpApiRequest },
    { item: 'CloudFront (HTTPS requests)', formula: '10⁶ × $0.0100/10⁴', usd: n * PRICES.cloudFrontRequest },
    {
      item: 'DynamoDB redeem (on-demand)',
      formula: `10⁶ × ${x.redeemWru} WRU × $0.625/10⁶ (the item + ${x.redeemWru - 1} indexes projecting ALL)`,
      usd: n * x.redeemWru * PRICES.dynamoWru,
    },
    { item: 'DynamoDB link log (async)', formula: `10⁶ × ${x.logWru} WRU × $0.625/10⁶`, usd: n * x.logWru * PRICES.dynamoWru },
    {
      item: `Lambda link-log (${x.logMemoryMb} MB, batches of ${x.logBatch})`,
      formula: `10⁶ ÷ ${x.logBatch} × (${x.logBatchMs} ms × ${round(x.logMemoryMb / 1024, 2)} GB × $${PRICES.lambdaArmGbSecond}/GB-s + $0.20/10⁶); stream reads by Lambda are free`,
      usd: (n / x.logBatch) * ((x.logBatchMs / 1000) * (x.logMemoryMb / 1024) * PRICES.lambdaArmGbSecond + PRICES.lambdaRequest),
    },
    { item: 'S3 GET (the presigned URL)', formula: '10⁶ × $0.0004/10³', usd: n * PRICES.s3Get },
  ];
  return { lines, total: lines.reduce((sum, l) => sum + l.usd, 0), billedMs, transferPerGb: PRICES.s3TransferGb };
};

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
