import { readFileSync, writeFileSync } from 'node:fs';
import { dummyFunctionEnv, UNTHROTTLED_ENV } from './events';

/** A bench script's side of `runBenchScript`: its input (argv[2]) and where its answer goes (argv[3]). */
export const scriptIO = <I, O>(name: string) => {
  const [inputFile, outputFile] = process.argv.slice(2);
  if (!inputFile || !outputFile) throw new Error(`usage: ${name} <input.json> <output.json>`);
  return { input: JSON.parse(readFileSync(inputFile, 'utf8')) as I, answer: (output: O) => writeFileSync(outputFile, JSON.stringify(output)) };
};

/** The deployed function's environment (dummy values, no local endpoints): the handler talks only to what the script puts in place. */
export const asDeployedFunction = () => {
  Object.assign(process.env, dummyFunctionEnv(), UNTHROTTLED_ENV);
  delete process.env.DYNAMODB_ENDPOINT;
  delete process.env.S3_ENDPOINT;
  delete process.env.SECRETS_MANAGER_ENDPOINT;
};
