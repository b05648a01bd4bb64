package dev.attnc.compiler.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The "did you mean" of unknown words: distances computed by hand, the threshold at its edges. */
class SuggestionsTest {

    @Test
    void distanceCountsEditsAndNeighbourSwapsAsOne() {
        assertEquals(0, Suggestions.distance("window", "window"));
        assertEquals(1, Suggestions.distance("befor", "before")); // insertion
        assertEquals(1, Suggestions.distance("windw", "window")); // insertion
        assertEquals(1, Suggestions.distance("head_dims", "head_dim")); // deletion
        assertEquals(1, Suggestions.distance("casual", "causal")); // swap of 'su' and 'us'
        assertEquals(1, Suggestions.distance("cusal", "causal")); // insertion
        assertEquals(2, Suggestions.distance("globl", "glbal")); // substitution each way: not a neighbour swap
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(6, Suggestions.distance("kitten", ""));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    @Test
    void thresholdGrowsWithTheWord() {
        assertEquals(0, Suggestions.threshold("on"));
        assertEquals(1, Suggestions.threshold("ful"));
        assertEquals(1, Suggestions.threshold("befor"));
        assertEquals(2, Suggestions.threshold("casual"));
    }

    @Test
    void suggestsTheClosestKeywordWithinTheThreshold() {
        List<String> kw = Suggestions.keywords();
        assertEquals(Optional.of("before"), Suggestions.closest("befor", kw));
        assertEquals(Optional.of("causal"), Suggestions.closest("casual", kw));
        assertEquals(Optional.of("window"), Suggestions.closest("windw", kw));
        assertEquals(Optional.of("head_dim"), Suggestions.closest("head_dims", kw));
        assertEquals(Optional.of("global"), Suggestions.closest("gloabl", kw));
        assertEquals(Optional.of("dilation"), Suggestions.closest("dilaton", kw));
    }

    @Test
    void suggestsNothingForFarOrShortWordsOrExactMatches() {
        List<String> kw = Suggestions.keywords();
        assertEquals(Optional.empty(), Suggestions.closest("longformer", kw));
        assertEquals(Optional.empty(), Suggestions.closest("xyz", kw));
        assertEquals(Optional.empty(), Suggestions.closest("ab", List.of("an"))); // 2 characters: threshold 0
        assertEquals(Optional.empty(), Suggestions.closest("wxyzow", List.of("window"))); // 3 substitutions > 2
        assertEquals(Optional.empty(), Suggestions.closest("window", kw));
        assertEquals("", Suggestions.didYouMean("mistral", kw));
        assertEquals("; did you mean 'causal'?", Suggestions.didYouMean("casual", kw));
    }

    @Test
    void tiesGoToTheAlphabeticallyFirst() {
        assertEquals(Optional.of("heads"), Suggestions.closest("headz", List.of("heads", "heady")));
        assertEquals(Optional.of("heads"), Suggestions.closest("headz", List.of("heady", "heads")));
    }

    @Test
    void keywordsComeFromTheGrammar() {
        List<String> kw = Suggestions.keywords();
        for (String w : List.of("window", "before", "after", "causal", "full", "head_dim", "heads", "global", "in")) {
            assertTrue(kw.contains(w), w);
        }
        assertTrue(kw.stream().allMatch(w -> w.matches("[a-z_]+")), kw.toString());
    }
}
