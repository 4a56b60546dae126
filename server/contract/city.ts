import { z } from 'zod';
import { BBoxSchema, IsoTime, LngLatSchema } from './common';

/** `city.json` of a layers folder (data/README.md). */
export const CityFile = z.object({
  name: z.string().min(1),
  nameEn: z.string().min(1),
  center: LngLatSchema,
  bbox: BBoxSchema,
  source: z.string(),
  attribution: z.string(),
  generator: z.object({ name: z.string(), seed: z.number(), scale: z.number(), end: z.string() }).nullable().optional(),
  createdAt: IsoTime.optional(),
});
export type CityFile = z.infer<typeof CityFile>;

/** The city as `/api/meta` shows it. */
export const CityInfo = z.object({
  name: z.string(),
  nameEn: z.string(),
  center: LngLatSchema,
  bbox: BBoxSchema,
  source: z.string(),
  attribution: z.string(),
});
export type CityInfo = z.infer<typeof CityInfo>;
