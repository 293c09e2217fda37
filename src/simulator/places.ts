import { at, hashInts, type Rng } from "./prng.js";

export interface Country {
  readonly countryName: string;
  /** [city, region] pairs. */
  readonly cities: readonly (readonly [string, string])[];
}

export const COUNTRIES: readonly Country[] = [
  {
    countryName: "United States",
    cities: [
      ["New York", "New York"],
      ["Austin", "Texas"],
      ["Seattle", "Washington"],
    ],
  },
  {
    countryName: "Germany",
    cities: [
      ["Berlin", "Berlin"],
      ["München", "Bavaria"],
    ],
  },
  {
    countryName: "France",
    cities: [
      ["Paris", "Île-de-France"],
      ["Lyon", "Auvergne-Rhône-Alpes"],
    ],
  },
  {
    countryName: "Spain",
    cities: [
      ["Madrid", "Madrid"],
      ["Barcelona", "Catalonia"],
    ],
  },
  {
    countryName: "United Kingdom",
    cities: [
      ["London", "England"],
      ["Manchester", "England"],
    ],
  },
  {
    countryName: "Poland",
    cities: [
      ["Kraków", "Lesser Poland"],
      ["Łódź", "Łódź Voivodeship"],
    ],
  },
  { countryName: "Brazil", cities: [["São Paulo", "São Paulo"]] },
  { countryName: "Japan", cities: [["Tokyo", "Tokyo"]] },
  { countryName: "India", cities: [["Bengaluru", "Karnataka"]] },
  { countryName: "Türkiye", cities: [["İstanbul", "İstanbul"]] },
  { countryName: "Canada", cities: [["Toronto", "Ontario"]] },
  { countryName: "Australia", cities: [["Sydney", "New South Wales"]] },
  { countryName: "Vietnam", cities: [["Hà Nội", "Hà Nội"]] },
  { countryName: "Ireland", cities: [["Dublin", "Leinster"]] },
];

/** Where API-token automation runs: cloud regions. */
export const DATACENTERS: readonly Country[] = [
  { countryName: "United States", cities: [["Ashburn", "Virginia"]] },
  { countryName: "Ireland", cities: [["Dublin", "Leinster"]] },
];

export interface Location {
  ip: string;
  countryName: string;
  regionName: string;
  city: string;
}

/** A location in `country`: the /24 is stable per (owner, country), the host part varies. */
export function locationIn(
  country: Country,
  ownerHash: number,
  countryIndex: number,
  rng: Rng,
): Location {
  const net = hashInts(ownerHash, countryIndex);
  const [city, regionName] = at(country.cities, net % country.cities.length);
  const first = 20 + ((net >>> 8) % 200);
  const ip = `${first}.${(net >>> 16) & 255}.${(net >>> 24) & 255}.${1 + rng.int(254)}`;
  return { ip, countryName: country.countryName, regionName, city };
}
