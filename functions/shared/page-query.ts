import { z } from 'zod';

/** `?limit=&cursor=` of every listing. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});
