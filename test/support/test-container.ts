import type { DependencyContainer } from 'tsyringe';
import { AgentwireConfig } from '../../src/config/config';
import type { ConfigTree } from '../../src/config/overrides';
import { createContainer } from '../../src/container';
import { createSilentLogger } from '../../src/logging/logger';

/** A root container with a silent logger and an in-memory config; `overrides` swaps in fakes. */
export function createTestContainer(options: { tree?: ConfigTree; home?: string; overrides?: (c: DependencyContainer) => void } = {}): DependencyContainer {
  const config = AgentwireConfig.fromTree(options.home ?? '/nonexistent-agentwire-home', options.tree ?? {});
  return createContainer({ config, logger: createSilentLogger(), overrides: options.overrides });
}
