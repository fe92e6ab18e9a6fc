// config/demo.yaml (what txdrift loads) and lib/sim/demo-model.ts (what the pure simulator
// tests evaluate with) describe the same models.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfig } from '@/lib/sim/demo-model';
import { loadConfig } from './config-file';

describe('config/demo.yaml', () => {
  it('loads through the config loader and equals the simulator’s demo model', () => {
    const loaded = loadConfig(path.resolve(import.meta.dirname, '../../config/demo.yaml'));
    expect(loaded).toEqual(demoConfig());
    expect(Object.keys(loaded.models).sort()).toEqual(['payment', 'refund', 'transfer']);
  });
});
