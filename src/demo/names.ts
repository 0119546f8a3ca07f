/**
 * Word lists for the synthetic Northmoor demo: common given names and surnames, combined at
 * random so that no generated person is anyone real, and invented streets and towns. Northmoor
 * and the "NM" postcode area do not exist. Lists are space-separated strings so that they stay
 * compact under the formatter.
 */
import type { Random } from "./random.ts";

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

/** Broad naming traditions, chosen from a person's ethnicity so families look plausible. */
export type NameGroup =
  "british" | "irish" | "eastern_european" | "south_asian" | "black" | "chinese" | "other";

interface NamePool {
  female: readonly string[];
  male: readonly string[];
  surnames: readonly string[];
}

const POOLS: Record<NameGroup, NamePool> = {
  british: {
    female: words(`Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Evie Poppy
      Ella Chloe Jessica Emily Megan Holly Lauren Charlotte Hannah Sophie Kayleigh Stacey Gemma Leanne
      Kelly Danielle Sarah Nicola Rebecca Amy Jade Chelsea Paige Courtney Demi Tia Summer Skye Maisie
      Millie Ruby Daisy Harper Willow Phoebe Lacey Jodie Natalie Victoria Emma Joanne Michelle Claire`),
    male: words(`Oliver George Noah Arthur Leo Harry Oscar Jack Charlie Freddie Alfie Theo Archie
      Tommy Riley Mason Kai Logan Tyler Callum Jordan Liam Connor Jake Ryan Dean Craig Lee Darren Wayne
      Jamie Kyle Ben Josh Lewis Reece Ethan Jayden Harley Finley Lucas Dylan Owen Aaron Stephen Mark
      Paul Gary Carl Shaun Jason Scott Ashley Bradley Kieran Ellis`),
    surnames: words(`Smith Jones Taylor Brown Wilson Johnson Davies Robinson Wright Thompson Evans
      Walker White Roberts Green Hall Wood Jackson Clarke Hughes Harris Edwards Turner Lewis Hill Moore
      Cooper Ward Morris King Watson Harrison Morgan Baker Bennett Shaw Holmes Marsh Atkinson Barker
      Whitfield Fletcher Pearson Dixon Parkinson Heywood Ashworth Hargreaves Sutcliffe Lister Kershaw
      Greenwood Ormerod Haworth Butterworth Crossley Pickles Entwistle Riley Barlow Holden Nuttall`),
  },
  irish: {
    female: words(
      `Siobhan Niamh Aoife Ciara Roisin Orla Sinead Grainne Mairead Aisling Clodagh Erin`,
    ),
    male: words(`Sean Ciaran Padraig Declan Eoin Cillian Oisin Darragh Conor Niall Ronan Fionn`),
    surnames:
      words(`Murphy Kelly O'Brien Byrne Ryan Walsh Doyle McCarthy Gallagher Quinn Brennan Flynn
      Nolan Kavanagh Connolly Donnelly Duffy Farrell`),
  },
  eastern_european: {
    female:
      words(`Zofia Oliwia Maja Natalia Ioana Andreea Elena Agnieszka Katarzyna Daria Alina Irina
      Lenka Petra Milena`),
    male: words(`Jakub Szymon Kacper Mateusz Piotr Andrei Mihai Stefan Tomasz Lukas Marek Vasile Bogdan
      Tomas Dawid`),
    surnames:
      words(`Nowak Wozniak Mazur Krawczyk Popescu Ionescu Dumitru Horvath Kovacs Balogh Novak
      Dvorak Marin Stan Lungu`),
  },
  south_asian: {
    female: words(`Aisha Fatima Maryam Zara Amira Hafsa Sana Ayesha Noor Priya Anjali Simran Nadia
      Rukhsana Shazia Samina Yasmin Inaya Hania Anaya Khadija Safa`),
    male: words(`Mohammed Muhammad Ali Yusuf Ibrahim Hamza Zain Ayaan Imran Tariq Asif Bilal Arjun Rohan
      Aarav Harjit Sandeep Rayyan Zayn Umar Idris Faisal`),
    surnames: words(`Khan Ahmed Hussain Ali Akhtar Rahman Iqbal Mahmood Shah Patel Singh Sharma
      Chowdhury Uddin Islam Malik Aziz Javed Rashid Hassan Mistry Gill`),
  },
  black: {
    female: words(`Abena Adaeze Amara Chidinma Ifeoma Nia Zuri Ama Esi Folake Tiwa Kemi Shanice
      Tanisha Jada Keisha Precious Blessing Favour Mercy Hodan Ayan Sagal`),
    male: words(`Kwame Kofi Chinedu Emeka Tunde Femi Kayode Jamal Marcus Tyrese Andre Dwayne Jerome
      Daniel Samuel David Joshua Elijah Emmanuel Abdi Liban Kehinde`),
    surnames: words(`Okafor Adeyemi Mensah Owusu Boateng Okoro Eze Nwosu Adebayo Asante Campbell
      Williams Clarke Francis Bailey Grant Reid Johnson Mohamed Abdi Warsame Farah Osei`),
  },
  chinese: {
    female: words(`Mei Xinyi Jia Wen Hui Ying Lan Qing`),
    male: words(`Wei Jun Hao Jian Ming Kai Tao Yong`),
    surnames: words(`Wong Chan Li Zhang Wang Liu Cheung Lam Chen Lee Ng Ho`),
  },
  other: {
    female: words(`Layla Rania Yara Leila Mariam Noura Sara Dunya Shirin Maya Lina Hana`),
    male: words(`Omar Karim Ahmad Samir Yousef Rami Kamal Dara Hassan Nabil Tarek Adam`),
    surnames: words(`Haddad Nasser Karimi Ahmadi Rostami Saleh Mansour Aziz Jaber Hamidi`),
  },
};

export function givenName(rng: Random, group: NameGroup, sex: string): string {
  const pool = POOLS[group];
  const female = sex === "2" || (sex !== "1" && rng.chance(0.5));
  return rng.pick(female ? pool.female : pool.male);
}

export function surname(rng: Random, group: NameGroup): string {
  return rng.pick(POOLS[group].surnames);
}

/**
 * DfE ethnicity codes used in the CIN census and school census, with relative weights.
 * ASSUMPTION: a plausible spread for an English authority with a mainly White British
 * population, loosely shaped like the national children in need figures; not any real LA's.
 * REFU (refused) and NOBT (not obtained) are applied per person, see families.ts.
 */
export const ETHNICITY_WEIGHTS: readonly (readonly [string, number])[] = [
  ["WBRI", 62],
  ["WIRI", 1],
  ["WOTH", 6],
  ["MWBC", 3],
  ["MWBA", 1.5],
  ["MWAS", 1.5],
  ["MOTH", 3],
  ["AIND", 1.5],
  ["APKN", 4],
  ["ABAN", 1.5],
  ["AOTH", 1],
  ["BCRB", 1.5],
  ["BAFR", 4],
  ["BOTH", 1.5],
  ["CHNE", 0.5],
  ["OOTH", 3],
];

/** For a mixed code, the two parents' codes; for any other, undefined. */
export const MIXED_PARENTS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  MWBC: ["WBRI", ["BCRB"]],
  MWBA: ["WBRI", ["BAFR"]],
  MWAS: ["WBRI", ["AIND", "APKN", "ABAN"]],
  MOTH: ["WBRI", ["OOTH", "BAFR", "CHNE"]],
};

const GROUP_OF_CODE: Readonly<Record<string, NameGroup>> = {
  WBRI: "british",
  WIRI: "irish",
  WOTH: "eastern_european",
  AIND: "south_asian",
  APKN: "south_asian",
  ABAN: "south_asian",
  AOTH: "south_asian",
  BCRB: "black",
  BAFR: "black",
  BOTH: "black",
  CHNE: "chinese",
  OOTH: "other",
};

export function nameGroupOf(code: string): NameGroup {
  return GROUP_OF_CODE[code] ?? "british";
}

/** A mixed staff team: any tradition, weighted towards the local population. */
export function staffNameGroup(rng: Random): NameGroup {
  return nameGroupOf(rng.weighted(ETHNICITY_WEIGHTS));
}

// Invented streets: an element from each list ("Kestrel Close", "Millstone Road").
const STREET_FIRST = words(`Moor Heather Kestrel Bracken Curlew Lapwing Millstone Gritstone Weavers
  Spinners Loom Canal Brook Beck Fell Ashgrove Rowan Hawthorn Birch Alder Willow Sycamore Foundry
  Chapel Mill Quarry Tannery Clough Ridge Highfield Lowfield Greenbank Stonecross Larkhill Fernlea
  Oakwood Cotton Bobbin Shuttle Furnace Drover Packhorse Moorgate Wharf Lockside Skylark Merlin`);
const STREET_SECOND = words(`Road Street Lane Close Way Drive Avenue Crescent Grove Terrace Gardens
  Walk View Rise Fold Mews`);
const BLOCKS = words(`Court House Heights Mount`);

/** Fictional postal districts NM1..NM9 and the invented places they serve. */
const DISTRICTS: readonly (readonly [number, string])[] = [
  [1, "Northmoor"],
  [2, "Northmoor"],
  [3, "Northmoor"],
  [4, "Hollinfield"],
  [5, "Stonebeck"],
  [6, "Moorhaven"],
  [7, "Kestrelton"],
  [8, "Ashby Moor"],
  [9, "Lowbridge"],
];

/** ASSUMPTION: share of family homes that are flats (line1 "Flat n, Block", line2 the street). */
export const FLAT_RATE = 0.2;

// Inward-code letters never use C, I, K, M, O or V, as on real postcodes.
const INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

export interface DemoAddress {
  line1: string;
  line2: string;
  town: string;
  postcode: string;
}

export function address(rng: Random): DemoAddress {
  const [district, town] = rng.pick(DISTRICTS);
  const letter = (): string => INWARD_LETTERS.charAt(rng.int(0, INWARD_LETTERS.length - 1));
  const postcode = `NM${district} ${rng.int(1, 9)}${letter()}${letter()}`;
  const street = `${rng.pick(STREET_FIRST)} ${rng.pick(STREET_SECOND)}`;
  if (rng.chance(FLAT_RATE)) {
    const block = `${rng.pick(STREET_FIRST)} ${rng.pick(BLOCKS)}`;
    return { line1: `Flat ${rng.int(1, 40)}, ${block}`, line2: street, town, postcode };
  }
  return { line1: `${rng.int(1, 180)} ${street}`, line2: "", town, postcode };
}
