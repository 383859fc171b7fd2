// Building blocks of the contract: a method is a pair of schemas (params, result) with one line saying
// what it does; an event is one schema. Transports are generic over these maps, so no channel name or
// payload shape is written anywhere else (ComfyUI Desktop's ipcChannels, VS Code's ProxyChannel).
import type { z } from 'zod';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly result: R;
  readonly doc: string;
}

export function method<P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
  doc: string,
): MethodSpec<P, R> {
  return { params, result, doc };
}
