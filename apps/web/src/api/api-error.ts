/** An API error answer (`{ statusCode, code, message, errors?: [{ field, reason }] }`), or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }

  /** The reason given for one field of a refused form, if any. */
  fieldReason(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.reason;
  }

  static async from(res: Response): Promise<ApiError> {
    let body: { code?: unknown; message?: unknown; errors?: unknown } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // Not JSON (a proxy's page): the status says enough.
    }
    const message = typeof body.message === 'string' ? body.message : `${res.status} ${res.statusText}`.trim();
    const fields = Array.isArray(body.errors) ? (body.errors as { field: string; reason: string }[]).filter((e) => typeof e?.field === 'string') : [];
    return new ApiError(res.status, typeof body.code === 'string' ? body.code : `http-${res.status}`, message, fields);
  }
}
