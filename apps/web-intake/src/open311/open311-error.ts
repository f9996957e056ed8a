/** An Open311 error, answered in the spec's format (`[{code, description}]`, `<errors><error>`) with this HTTP status. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}
