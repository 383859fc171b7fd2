// The motion lexicon's words: what each word or short phrase means as a motion primitive with parameters
// (issue 3, point 1). Strengths are pixels per frame at a 512-pixel long side (QUALITY.md); periods are
// seconds (the engine fits a whole number of cycles into the clip so every loop closes); directions are
// degrees counter-clockwise from pointing right. Words with `motion: null` need a generative model.
import type { MotionPrimitive } from './spec.js';

export interface MotionWord {
  word: string;
  aliases: readonly string[];
  description: string;
  defaultStrength: number;
  /** null: only the diffusion engine can do it. */
  motion: MotionPrimitive | null;
}

const UP = 90;
const DOWN = 270;
const RIGHT = 0;
const LEFT = 180;

export const MOTION_WORDS: readonly MotionWord[] = [
  // --- fluids: Eulerian motion fields ---------------------------------------------------------------
  {
    word: 'flow',
    aliases: ['flowing water', 'river', 'current'],
    description: 'Water or anything liquid flows along the arrow, with a little turbulence.',
    defaultStrength: 2,
    motion: { primitive: 'flow', direction: RIGHT, turbulence: 0.25, scale: 0.35 },
  },
  {
    word: 'stream',
    aliases: ['brook', 'creek'],
    description: 'A lively stream: faster, more turbulent flow along the arrow.',
    defaultStrength: 2.5,
    motion: { primitive: 'flow', direction: RIGHT, turbulence: 0.4, scale: 0.25 },
  },
  {
    word: 'pour',
    aliases: ['pouring liquid'],
    description: 'Liquid pours downwards in a smooth column.',
    defaultStrength: 3,
    motion: { primitive: 'flow', direction: DOWN, turbulence: 0.1, scale: 0.5 },
  },
  {
    word: 'waterfall',
    aliases: ['falling water'],
    description: 'Water falls down a cliff, streaky and fast.',
    defaultStrength: 3,
    motion: { primitive: 'flow', direction: DOWN, turbulence: 0.2, scale: 0.3 },
  },
  {
    word: 'cascade',
    aliases: ['tumble'],
    description: 'Water tumbles down over steps, with more churn than a waterfall.',
    defaultStrength: 3,
    motion: { primitive: 'flow', direction: DOWN, turbulence: 0.45, scale: 0.25 },
  },
  {
    word: 'trickle',
    aliases: ['drip', 'dribble', 'seep'],
    description: 'A thin, slow run of liquid downwards.',
    defaultStrength: 1,
    motion: { primitive: 'flow', direction: DOWN, turbulence: 0.15, scale: 0.4 },
  },
  {
    word: 'ripple',
    aliases: ['water ripples', 'lap', 'waves on water'],
    description: 'Small ripples play over a water surface.',
    defaultStrength: 0.8,
    motion: { primitive: 'ripple', period: 1, wavelength: 0.3, haze: false },
  },
  {
    word: 'shimmer',
    aliases: ['heat haze', 'glimmer', 'mirage'],
    description: 'A fine, quick shimmer, as of heat haze or light on water.',
    defaultStrength: 0.4,
    motion: { primitive: 'ripple', period: 0.4, wavelength: 0.12, haze: true },
  },
  {
    word: 'boil',
    aliases: ['bubble', 'simmer', 'seethe'],
    description: 'A surface churns in place, as a boiling pot.',
    defaultStrength: 1,
    motion: { primitive: 'churn', scale: 0.12 },
  },
  {
    word: 'drift',
    aliases: ['clouds', 'fog', 'mist', 'roll in'],
    description: 'Clouds, fog or mist drift slowly along the arrow.',
    defaultStrength: 0.8,
    motion: { primitive: 'flow', direction: RIGHT, turbulence: 0.2, scale: 0.5 },
  },
  {
    word: 'rise',
    aliases: ['rising', 'go up'],
    description: 'Steam or smoke rises, curling as it goes.',
    defaultStrength: 1.2,
    motion: { primitive: 'flow', direction: UP, turbulence: 0.5, scale: 0.3 },
  },
  {
    word: 'steam',
    aliases: ['vapour', 'vapor'],
    description: 'Steam rises and curls above something hot.',
    defaultStrength: 1,
    motion: { primitive: 'flow', direction: UP, turbulence: 0.6, scale: 0.25 },
  },
  {
    word: 'smoke',
    aliases: ['smoulder', 'smolder', 'fumes'],
    description: 'Smoke rises in slow, billowing curls.',
    defaultStrength: 1,
    motion: { primitive: 'flow', direction: UP, turbulence: 0.75, scale: 0.3 },
  },
  {
    word: 'billow',
    aliases: ['puff'],
    description: 'Big, slow rolls of smoke or cloud.',
    defaultStrength: 0.8,
    motion: { primitive: 'flow', direction: UP, turbulence: 0.9, scale: 0.5 },
  },
  {
    word: 'flicker',
    aliases: ['fire', 'flame', 'flames', 'burn', 'blaze'],
    description: 'Flames lick upwards and flicker.',
    defaultStrength: 1.5,
    motion: { primitive: 'flow', direction: UP, turbulence: 0.9, scale: 0.15 },
  },
  {
    word: 'fall',
    aliases: ['falling', 'drop', 'go down', 'descend'],
    description:
      'Falls straight down, faster and faster as under gravity: moves the region out along its path, uncovering what was behind it.',
    defaultStrength: 4,
    motion: { primitive: 'travel', direction: DOWN, shrink: 0, pace: 'accelerate' },
  },
  {
    word: 'snow',
    aliases: ['snowfall', 'snowflakes'],
    description: 'Snow drifts down, wandering a little.',
    defaultStrength: 1.5,
    motion: { primitive: 'flow', direction: DOWN, turbulence: 0.4, scale: 0.2 },
  },
  {
    word: 'rain',
    aliases: ['rainfall', 'downpour', 'drizzle'],
    description: 'Rain streaks down, slightly slanted.',
    defaultStrength: 6,
    motion: { primitive: 'flow', direction: 265, turbulence: 0.03, scale: 0.5 },
  },
  {
    word: 'blow',
    aliases: ['wind', 'breeze', 'windy', 'in the wind', 'gust'],
    description: 'Gusts of wind run through grass, fur or leaves along the arrow.',
    defaultStrength: 0.8,
    motion: { primitive: 'gust', direction: RIGHT, period: 1.2, wavelength: 0.5 },
  },
  {
    word: 'rustle',
    aliases: ['rustling leaves', 'leaves in the wind', 'foliage'],
    description: 'Leaves rustle: quick, small gusts.',
    defaultStrength: 0.8,
    motion: { primitive: 'gust', direction: RIGHT, period: 0.5, wavelength: 0.25 },
  },
  {
    word: 'storm',
    aliases: ['storm clouds', 'stormy', 'churn', 'thunderclouds'],
    description: 'Storm clouds churn and roll along the arrow.',
    defaultStrength: 1.5,
    motion: { primitive: 'flow', direction: RIGHT, turbulence: 1, scale: 0.45 },
  },
  {
    word: 'swirl',
    aliases: ['stir', 'whirl', 'whirlpool', 'vortex', 'eddy'],
    description: 'Liquid turns in a whirl about the middle of the region.',
    defaultStrength: 1.5,
    motion: { primitive: 'swirl', turbulence: 0.05, clockwise: false },
  },
  // --- layers: rigid and elastic transforms of the region ------------------------------------------
  {
    word: 'sway',
    aliases: ['sway in the breeze', 'lean'],
    description: 'Bends gently to and fro in a breeze, anchored at its base, as a tree or grass in wind.',
    defaultStrength: 0.6,
    motion: { primitive: 'sway', period: 2, direction: RIGHT },
  },
  {
    word: 'wobble',
    aliases: ['jiggle', 'wiggle'],
    description: 'A quick elastic wobble, anchored at the base.',
    defaultStrength: 1.2,
    motion: { primitive: 'sway', period: 0.6, direction: RIGHT },
  },
  {
    word: 'wave',
    aliases: ['waving', 'wave in the wind', 'ruffle'],
    description: 'Waves of wind run through it along the arrow, each plant anchored where it grows.',
    defaultStrength: 1.5,
    motion: { primitive: 'wave', period: 1.4, wavelength: 0.7, direction: RIGHT, anchor: 'base' },
  },
  {
    word: 'flag',
    aliases: ['wave the flag', 'waving flag', 'banner', 'pennant'],
    description: 'A wave runs along it away from its anchored side, as a flag on its pole.',
    defaultStrength: 1.5,
    motion: { primitive: 'wave', period: 1.2, wavelength: 0.7, direction: RIGHT, anchor: 'side' },
  },
  {
    word: 'flutter',
    aliases: ['flap', 'flapping'],
    description: 'A fast, small wave: cloth or leaves fluttering.',
    defaultStrength: 2,
    motion: { primitive: 'wave', period: 1 / 3, wavelength: 0.4, direction: RIGHT, anchor: 'base' },
  },
  {
    word: 'swim',
    aliases: ['swimming', 'undulate', 'wriggle', 'slither', 'fish'],
    description:
      'Undulates along its body from head to tail, as a fish or a snake (the arrow: where the head points).',
    defaultStrength: 1,
    motion: { primitive: 'wave', period: 1, wavelength: 0.9, direction: RIGHT, anchor: 'body' },
  },
  {
    word: 'bob',
    aliases: ['bob up and down', 'bobbing'],
    description: 'Moves gently up and down, as a boat or a buoy.',
    defaultStrength: 0.5,
    motion: { primitive: 'bob', period: 2, direction: UP, tilt: 0.3 },
  },
  {
    word: 'float',
    aliases: ['hover', 'levitate'],
    description: 'Hangs in the air, drifting slowly up and down.',
    defaultStrength: 0.3,
    motion: { primitive: 'bob', period: 3.5, direction: UP, tilt: 0.15 },
  },
  {
    word: 'bounce',
    aliases: ['hop', 'bouncing ball'],
    description: 'Bounces along the arrow and lands back on its base.',
    defaultStrength: 1.5,
    motion: { primitive: 'bounce', period: 0.8, direction: UP },
  },
  {
    word: 'swing',
    aliases: ['pendulum', 'dangle', 'hang'],
    description: 'Swings to and fro from a pivot at its top.',
    defaultStrength: 1,
    motion: { primitive: 'swing', period: 2, pivot: 'top' },
  },
  {
    word: 'rock',
    aliases: ['rocking', 'rock back and forth', 'tilt back and forth'],
    description: 'Rocks to and fro on its base, as a boat or a rocking chair.',
    defaultStrength: 0.6,
    motion: { primitive: 'swing', period: 2.5, pivot: 'base' },
  },
  {
    word: 'spin',
    aliases: ['twirl', 'spin around', 'spin counterclockwise', 'spin anticlockwise'],
    description: 'Turns round and round about its centre (a wheel, a fan).',
    defaultStrength: 2,
    motion: { primitive: 'spin', clockwise: false },
  },
  {
    word: 'spin clockwise',
    aliases: ['turn clockwise'],
    description: 'Turns round and round clockwise.',
    defaultStrength: 2,
    motion: { primitive: 'spin', clockwise: true },
  },
  {
    word: 'rotate',
    aliases: ['revolve', 'rotate counterclockwise', 'rotate anticlockwise'],
    description: 'Turns slowly about its centre.',
    defaultStrength: 1,
    motion: { primitive: 'spin', clockwise: false },
  },
  {
    word: 'rotate clockwise',
    aliases: [],
    description: 'Turns slowly clockwise about its centre.',
    defaultStrength: 1,
    motion: { primitive: 'spin', clockwise: true },
  },
  {
    word: 'shake',
    aliases: ['jolt', 'rattle', 'jitter'],
    description: 'Shakes in place.',
    defaultStrength: 3,
    motion: { primitive: 'shake', period: 0.25 },
  },
  {
    word: 'tremble',
    aliases: ['shiver', 'quiver', 'quake'],
    description: 'A fine, fast trembling.',
    defaultStrength: 1.5,
    motion: { primitive: 'shake', period: 0.12 },
  },
  {
    word: 'vibrate',
    aliases: ['buzz', 'hum'],
    description: 'A very fast vibration, as of an engine.',
    defaultStrength: 2.5,
    motion: { primitive: 'shake', period: 0.08 },
  },
  {
    word: 'pulse',
    aliases: ['throb', 'beat', 'heartbeat', 'pulsate'],
    description: 'Swells and settles like a heartbeat.',
    defaultStrength: 0.8,
    motion: { primitive: 'pulse', period: 1, beat: true },
  },
  {
    word: 'breathe',
    aliases: ['breathing', 'inhale and exhale', 'expand and contract'],
    description:
      "A person's chest and shoulders rise and fall gently; anything else swells and shrinks slowly, as a chest breathing.",
    defaultStrength: 0.3,
    motion: { primitive: 'body', part: 'breathe', side: null, period: 3.5 },
  },
  {
    word: 'launch',
    aliases: ['lift off', 'liftoff', 'take off', 'blast off'],
    description:
      'Lifts off along the arrow (up by default), accelerating: moves the region out along its path, uncovering what was behind it.',
    defaultStrength: 6,
    motion: { primitive: 'travel', direction: UP, shrink: 0, pace: 'accelerate' },
  },
  {
    word: 'fly away',
    aliases: ['fly off', 'fly up', 'soar away'],
    description:
      'Flies off along the arrow (up and to the right by default), getting smaller: moves the region out along its path, uncovering what was behind it.',
    defaultStrength: 5,
    motion: { primitive: 'travel', direction: 60, shrink: 0.4, pace: 'accelerate' },
  },
  {
    word: 'drive forward',
    aliases: ['drive', 'drive away', 'roll forward', 'move forward'],
    description:
      'Drives off along the arrow (right by default), accelerating: moves the region out along its path, uncovering what was behind it.',
    defaultStrength: 4,
    motion: { primitive: 'travel', direction: RIGHT, shrink: 0, pace: 'accelerate' },
  },
  {
    word: 'glide',
    aliases: ['slide', 'sail away'],
    description:
      'Glides along the arrow at an even speed: moves the region out along its path, uncovering what was behind it.',
    defaultStrength: 2,
    motion: { primitive: 'travel', direction: RIGHT, shrink: 0, pace: 'steady' },
  },
  {
    word: 'sink',
    aliases: ['sinking', 'go under'],
    description:
      'Sinks slowly downwards at an even speed: moves the region out along its path, uncovering what was behind it.',
    defaultStrength: 1.5,
    motion: { primitive: 'travel', direction: DOWN, shrink: 0, pace: 'steady' },
  },
  // --- camera: the whole photo -----------------------------------------------------------------------
  {
    word: 'zoom in',
    aliases: ['zoom', 'close up', 'magnify'],
    description: 'The camera zooms in (on the whole photo when no region is clicked).',
    defaultStrength: 1,
    motion: { primitive: 'zoom', sign: 1, eased: false },
  },
  {
    word: 'zoom out',
    aliases: ['widen', 'reveal'],
    description: 'The camera zooms out.',
    defaultStrength: 1,
    motion: { primitive: 'zoom', sign: -1, eased: false },
  },
  {
    word: 'push in',
    aliases: ['dolly in', 'move in', 'slow zoom'],
    description: 'The camera pushes in slowly, easing in and out.',
    defaultStrength: 0.6,
    motion: { primitive: 'zoom', sign: 1, eased: true },
  },
  {
    word: 'pull back',
    aliases: ['pull out', 'dolly out', 'move back'],
    description: 'The camera pulls back slowly.',
    defaultStrength: 0.6,
    motion: { primitive: 'zoom', sign: -1, eased: true },
  },
  {
    word: 'pan',
    aliases: ['pan right', 'track', 'truck'],
    description: 'The camera pans along the arrow (right by default).',
    defaultStrength: 1.5,
    motion: { primitive: 'pan', direction: RIGHT, zoom: 0 },
  },
  {
    word: 'pan left',
    aliases: [],
    description: 'The camera pans to the left.',
    defaultStrength: 1.5,
    motion: { primitive: 'pan', direction: LEFT, zoom: 0 },
  },
  {
    word: 'tilt up',
    aliases: ['pan up', 'crane up'],
    description: 'The camera tilts up.',
    defaultStrength: 1.5,
    motion: { primitive: 'pan', direction: UP, zoom: 0 },
  },
  {
    word: 'tilt down',
    aliases: ['pan down', 'crane down'],
    description: 'The camera tilts down.',
    defaultStrength: 1.5,
    motion: { primitive: 'pan', direction: DOWN, zoom: 0 },
  },
  {
    word: 'ken burns',
    aliases: ['pan and zoom', 'documentary'],
    description: 'A slow pan with a slow zoom in, the documentary look.',
    defaultStrength: 0.8,
    motion: { primitive: 'pan', direction: RIGHT, zoom: 0.08 },
  },
  // --- people: driven by the face mesh the engine finds on the photo (src/engine/people) ----------------
  {
    word: 'smile',
    aliases: ['grin'],
    description: 'The corners of the mouth lift into a smile and settle back; the lips stay as they are.',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'smile' },
  },
  {
    word: 'blink',
    aliases: ['blink the eyes', 'close the eyes', 'open the eyes'],
    description: 'The upper eyelids slide down over the eyes and open again, about every three seconds.',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'blink' },
  },
  {
    word: 'nod',
    aliases: ['nod the head', 'nod yes'],
    description: 'The head nods: the face tips down and comes back up; the head keeps its place.',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'nod' },
  },
  {
    word: 'shake the head',
    aliases: ['shake head', 'shake the head no', 'head shake'],
    description: 'The head turns to one side and the other, saying no; the head keeps its place.',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'shake' },
  },
  {
    word: 'look left',
    aliases: ['glance left', 'eyes left'],
    description:
      'The eyes turn to the left of the picture and hold there, then look back; the rest of the face stays still (an arrow picks the side).',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'look', direction: LEFT },
  },
  {
    word: 'look right',
    aliases: ['glance right', 'eyes right'],
    description:
      'The eyes turn to the right of the picture and hold there, then look back; the rest of the face stays still.',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'look', direction: RIGHT },
  },
  {
    word: 'raise the eyebrows',
    aliases: ['raise eyebrows', 'raise the brows', 'eyebrows up', 'lift the eyebrows'],
    description: 'Both eyebrows lift and settle back; the eyes stay as they are.',
    defaultStrength: 4,
    motion: { primitive: 'face', part: 'brows' },
  },
  // --- only a generative model can do these (the diffusion engine) -----------------------------------
  ...[
    ['wink', []],
    ['laugh', ['giggle', 'chuckle']],
    ['talk', ['speak', 'say', 'chat']],
    ['sing', []],
    ['cry', ['weep', 'tear up']],
    ['frown', []],
    ['yawn', []],
    ['turn the head', ['turn head', 'look around', 'look up', 'look down']],
    ['dance', []],
    ['walk', ['stroll']],
    ['run', ['jog', 'sprint']],
    ['jump', ['leap']],
    ['clap', ['clap hands']],
    ['flap the wings', ['flap wings', 'spread the wings']],
    ['wag the tail', ['wag tail', 'wag']],
    ['eat', ['chew', 'bite']],
    ['drink', ['sip']],
    ['kiss', []],
    ['open the mouth', ['open mouth']],
    ['breathe fire', []],
  ].map(([word, aliases]): MotionWord => ({
    word: word as string,
    aliases: aliases as string[],
    description: 'A living movement only the diffusion engine (a model pack) can make.',
    defaultStrength: 4,
    motion: null,
  })),
  // --- bodies: driven by the skeleton the engine finds on the photo (src/engine/people/plan-body.ts) ---
  ...bodyWords('wave', 'hand', {
    description: 'swings about the elbow, waving',
    aliases: ['wave hello', 'wave goodbye', 'wave bye', 'waving hand', 'wave a hand'],
    defaultStrength: 3.5,
    part: 'wave',
    period: 0.7,
  }),
  ...bodyWords('raise', 'arm', {
    description: 'lifts about the shoulder and comes back down',
    aliases: ['raise an arm', 'raise a hand', 'lift the arm', 'lift an arm', 'raise the hand', 'raise hand'],
    defaultStrength: 1.5,
    part: 'raise',
    period: 3,
  }),
  {
    word: 'pose',
    aliases: ['puppet', 'pose puppet', 'follow the pose', 'follow the skeleton', 'skeleton'],
    description:
      'The person follows the skeleton keyed in the pose panel: each limb moves with its bones, and what it uncovers is filled.',
    defaultStrength: 1,
    motion: { primitive: 'puppet' },
  },
];

/** A body word for either arm ("wave the hand", the one whose hand shows) and for each one by name. */
function bodyWords(
  verb: string,
  limb: string,
  options: {
    description: string;
    aliases: string[];
    defaultStrength: number;
    part: 'wave' | 'raise';
    period: number;
  },
): MotionWord[] {
  return ([null, 'left', 'right'] as const).map((side) => ({
    word: side ? `${verb} the ${side} ${limb}` : `${verb} the ${limb}`,
    aliases: [
      ...new Set(
        side
          ? [`${verb} ${side} ${limb}`, `${verb} the ${side} hand`, `${verb} ${side} hand`]
          : [`${verb} ${limb}`, ...options.aliases],
      ),
    ].filter((alias) => alias !== (side ? `${verb} the ${side} ${limb}` : `${verb} the ${limb}`)),
    description: `The person's ${side ? `${side} ` : ''}${limb} ${options.description}${side ? '' : ' (the arm whose hand shows)'}.`,
    defaultStrength: options.defaultStrength,
    motion: { primitive: 'body', part: options.part, side, period: options.period },
  }));
}
