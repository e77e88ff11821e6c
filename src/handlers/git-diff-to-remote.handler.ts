import { gitDiffToRemote } from '../git/git-diff-to-remote';
import { GitSandbox } from '../git/git-sandbox';
import { InvalidRequestError } from '../router/errors';
import type { Handler } from '../router/handler';
import { Method } from '../router/method.decorator';
import { GitDiffToRemoteParams } from '../protocol/codex-params';
import { IncomingRequest } from '../protocol/methods';

/** `gitDiffToRemote`: the diff of the work tree (untracked files included) against the remote-tracking base. */
@Method(IncomingRequest.gitDiffToRemote)
export class GitDiffToRemoteHandler implements Handler<GitDiffToRemoteParams> {
  constructor(private readonly sandbox: GitSandbox) {}

  async handle(params: GitDiffToRemoteParams, ctx: { signal: AbortSignal }) {
    const result = await gitDiffToRemote(params.cwd, ctx.signal, this.sandbox.get());
    // 0.29 prints the path as a Rust debug string: quoted, with quotes and backslashes escaped.
    if (!result) throw new InvalidRequestError(`failed to compute git diff to remote for cwd: ${JSON.stringify(params.cwd)}`);
    return result;
  }
}
