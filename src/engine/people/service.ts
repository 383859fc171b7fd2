// The people area of the engine service: "Fit to person" (issue 12, point 3) and the people words a
// face or person region is offered (point 7).
import { StirError, type ParamsOut, type ResultOf, type StirService } from '../../shared/index.js';
import type { DocumentStore } from '../documents.js';
import type { PeopleDetector } from './detector.js';
import { bodyInMask, openPoseJoints } from './fit-pose.js';
import { defaultPeopleWord, peopleWordsFor } from './people-words.js';
import { regionPart } from './region-part.js';

export class PeopleService implements Pick<StirService, 'fitPose' | 'regionPeople'> {
  readonly #docs: DocumentStore;
  readonly #people: PeopleDetector | null;

  constructor(docs: DocumentStore, people: PeopleDetector | null) {
    this.#docs = docs;
    this.#people = people;
  }

  async fitPose(params: ParamsOut<'fitPose'>): Promise<ResultOf<'fitPose'>> {
    const doc = this.#docs.get(params.docId);
    const region = this.#docs.region(doc, params.regionId);
    if (!this.#people) {
      throw new StirError(
        'BAD_REQUEST',
        'This engine does not look for people, so it cannot fit a skeleton.',
      );
    }
    const found = await this.#people.find(doc.photo);
    const body = bodyInMask(found.bodies, region.mask);
    if (!body) {
      throw new StirError('NOT_FOUND', `Stir found no person in ${region.name}.`, {
        hint: 'Select the whole person (click on the body), or place the joints by hand with the pose tool.',
        details: { regionId: region.id, people: found.bodies.length },
      });
    }
    return { joints: openPoseJoints(body) };
  }

  async regionPeople(params: ParamsOut<'regionPeople'>): Promise<ResultOf<'regionPeople'>> {
    const doc = this.#docs.get(params.docId);
    const region = this.#docs.region(doc, params.regionId);
    // Without a detector, or when detection fails, the region is simply not known as a person.
    const found = this.#people ? await this.#people.find(doc.photo).catch(() => null) : null;
    const part = found ? regionPart(found, region.mask) : null;
    if (!part) return { part: null, words: [], suggested: null };
    const engine = doc.settings.engine;
    return { part, words: peopleWordsFor(part, engine), suggested: defaultPeopleWord(part, engine) };
  }
}
