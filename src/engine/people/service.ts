// The people area of the engine service: "Fit to person" (issue 12, point 3).
import { StirError, type ParamsOut, type ResultOf, type StirService } from '../../shared/index.js';
import type { DocumentStore } from '../documents.js';
import type { PeopleDetector } from './detector.js';
import { bodyInMask, openPoseJoints } from './fit-pose.js';

export class PeopleService implements Pick<StirService, 'fitPose'> {
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
}
