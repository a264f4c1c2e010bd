/** Loads the Pre Token Generation event fixtures (copied from shared reference material). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreTokenGenerationEvent } from '../../lambda/events';

export type FixtureName =
  | 'pretoken-v1-authentication'
  | 'pretoken-v1-refresh'
  | 'pretoken-v2-authentication'
  | 'pretoken-v2-hostedauth-groups'
  | 'pretoken-v3-client-credentials';

/** A fresh copy of a fixture event, safe to mutate. */
export function loadEvent(name: FixtureName): PreTokenGenerationEvent {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'events', `${name}.json`), 'utf8'));
}
