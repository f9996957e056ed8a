import * as fs from 'fs';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export interface GeoHit {
  regencyCode: string;
  /** true when the point lies inside the polygon; false for the nearest-polygon fallback */
  inside: boolean;
  /** distance to the polygon in km (0 when inside) */
  distanceKm: number;
  confidence: number;
}

interface Shape { code: string; feature: Feature<Polygon | MultiPolygon>; bbox: [number, number, number, number] }

/** Farthest a point may lie from any boundary (e.g. at sea) and still be attributed to the nearest regency. */
export const MAX_NEAREST_KM = 100;
/** Only shapes whose box, grown by this many degrees (~110 km), holds the point are measured for the fallback. */
const NEAR_DEG = 1.0;

/** Point-in-polygon over the simplified kabupaten/kota boundaries, nearest polygon as fallback. */
export class GeoLocator {
  private readonly shapes: Shape[] = [];

  constructor(file: string) {
    const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { code: string }>;
    for (const f of fc.features) {
      this.shapes.push({ code: f.properties.code, feature: f, bbox: bboxOf(f.geometry) });
    }
  }

  get count(): number { return this.shapes.length; }

  locate(lat: number, lon: number): GeoHit | undefined {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
    const pt: [number, number] = [lon, lat];
    const inside: Shape[] = [];
    for (const s of this.shapes) {
      const [x0, y0, x1, y1] = s.bbox;
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue;
      if (booleanPointInPolygon(pt, s.feature)) inside.push(s);
    }
    if (inside.length) {
      // border slivers: two polygons may overlap; pick the smaller box (the more specific unit), lower confidence
      inside.sort((a, b) => area(a.bbox) - area(b.bbox));
      return { regencyCode: inside[0].code, inside: true, distanceKm: 0, confidence: inside.length > 1 ? 0.7 : 0.95 };
    }
    // nearest polygon: measure shapes in order of their box distance, stop once a box is farther than the best so far
    const near: Array<{ s: Shape; boxKm: number }> = [];
    for (const s of this.shapes) {
      const [x0, y0, x1, y1] = s.bbox;
      if (lon < x0 - NEAR_DEG || lon > x1 + NEAR_DEG || lat < y0 - NEAR_DEG || lat > y1 + NEAR_DEG) continue;
      near.push({ s, boxKm: boxDistanceKm(lat, lon, s.bbox) });
    }
    near.sort((a, b) => a.boxKm - b.boxKm);
    let best: { s: Shape; d: number } | undefined;
    for (const { s, boxKm } of near) {
      if (best && boxKm > best.d) break;
      const d = pointToPolygonDistance(pt, s.feature, { units: 'kilometers' });
      if (!best || d < best.d) best = { s, d };
    }
    if (!best || best.d > MAX_NEAREST_KM) return undefined;
    return { regencyCode: best.s.code, inside: false, distanceKm: best.d, confidence: nearestConfidence(best.d) };
  }
}

/** 0.9 within 2 km of the coast/boundary, falling to 0.5 at 30 km and 0.3 at 100 km. */
export function nearestConfidence(km: number): number {
  if (km <= 2) return 0.9;
  if (km <= 30) return 0.9 - ((km - 2) / 28) * 0.4;
  return Math.max(0.3, 0.5 - ((km - 30) / 70) * 0.2);
}

function bboxOf(g: Polygon | MultiPolygon): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) for (const ring of poly) for (const [x, y] of ring) {
    if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

/** Lower bound of the distance from a point to a box, in km (equirectangular; the box distance never overestimates much at these scales). */
function boxDistanceKm(lat: number, lon: number, b: [number, number, number, number]): number {
  const dx = lon < b[0] ? b[0] - lon : lon > b[2] ? lon - b[2] : 0;
  const dy = lat < b[1] ? b[1] - lat : lat > b[3] ? lat - b[3] : 0;
  const kmPerDeg = 111.195;
  return Math.hypot(dx * kmPerDeg * Math.cos((lat * Math.PI) / 180), dy * kmPerDeg) * 0.99;
}

function area(b: [number, number, number, number]): number { return (b[2] - b[0]) * (b[3] - b[1]); }
