/** Why a run stopped before its last generation; it can be resumed. */
export class RunStopped extends Error {
  override readonly name = 'RunStopped';
  constructor(
    message: string,
    readonly cause_: 'interrupted' | 'llm' | 'budget',
  ) {
    super(message);
  }
}
