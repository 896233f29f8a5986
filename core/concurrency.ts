/** Runs `work` over `items`, at most `width` at a time: bounded parallelism for fan-out I/O. */
export const inBatches = async <T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
};

/** Consecutive slices of at most `size` items (DynamoDB batches, PutEvents entries). */
export const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
