package kindred.module;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.util.Version;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * What the Elasticsearch distribution's own modules would provide and Kindred needs, for
 * the modules Elastic does not publish to Maven Central (analysis-common, rest-root).
 *
 * <ul>
 *   <li>The token filters and tokenizers that Wagtail's index settings name
 *       ({@code asciifolding}, {@code lowercase}, {@code ngram}, {@code edge_ngram}), built
 *       from Lucene's classes with analysis-common's options (min_gram, max_gram,
 *       preserve_original; not token_chars, which Wagtail does not use). Without them
 *       creating Wagtail's index fails: "failed to find filter under name [asciifolding]".
 *   <li>The {@code english} analyzer (Lucene's {@code EnglishAnalyzer}: possessives, lower
 *       case, English stop words, Porter stemming; with analysis-common's {@code stopwords}
 *       and {@code stem_exclusion} options), which Kindred's index settings make the
 *       default analyzer so that "therapies" finds "therapy" (portal/settings/base.py).
 *   <li>The {@code german} analyzer (Lucene's {@code GermanAnalyzer}: lower case, German
 *       stop words, umlaut normalisation, light German stemming; the same options), for
 *       German items' text (search/backends/engine.py), so that "Therapien" finds "Therapie".
 *   <li>{@code GET /} and {@code HEAD /} (the Python client's {@code info()} and
 *       {@code ping()}), answered as the distribution does.
 * </ul>
 */
public final class KindredModule extends Plugin implements AnalysisPlugin, ActionPlugin {

    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "lowercase",
            (indexSettings, env, name, s) -> new Normalizing(name, LowerCaseFilter::new),
            "asciifolding",
            (indexSettings, env, name, s) -> {
                boolean preserve = s.getAsBoolean("preserve_original", false);
                return new Normalizing(name, in -> new ASCIIFoldingFilter(in, preserve));
            },
            "ngram",
            (indexSettings, env, name, s) -> new Filter(
                name,
                in -> new NGramTokenFilter(in, minGram(s), maxGram(s), s.getAsBoolean("preserve_original", false))
            ),
            "edge_ngram",
            (indexSettings, env, name, s) -> new Filter(
                name,
                in -> new EdgeNGramTokenFilter(in, minGram(s), maxGram(s), s.getAsBoolean("preserve_original", false))
            )
        );
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "english",
            (indexSettings, env, name, s) -> new English(name, env, s),
            "german",
            (indexSettings, env, name, s) -> new German(name, env, s)
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
            "ngram",
            (indexSettings, env, name, s) -> TokenizerFactory.newFactory(name, () -> new NGramTokenizer(minGram(s), maxGram(s))),
            "edge_ngram",
            (indexSettings, env, name, s) -> TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(minGram(s), maxGram(s)))
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices services,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootHandler());
    }

    private static int minGram(Settings s) {
        return s.getAsInt("min_gram", 1);
    }

    private static int maxGram(Settings s) {
        return s.getAsInt("max_gram", 2);
    }

    private static class Filter extends AbstractTokenFilterFactory {
        private final UnaryOperator<TokenStream> make;

        Filter(String name, UnaryOperator<TokenStream> make) {
            super(name);
            this.make = make;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return make.apply(tokenStream);
        }
    }

    /** analysis-common's {@code english} analyzer provider, as the distribution builds it. */
    private static final class English extends AbstractIndexAnalyzerProvider<EnglishAnalyzer> {
        private final EnglishAnalyzer analyzer;

        English(String name, Environment env, Settings s) {
            super(name);
            analyzer = new EnglishAnalyzer(
                Analysis.parseStopWords(env, s, EnglishAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public EnglishAnalyzer get() {
            return analyzer;
        }
    }

    /**
     * analysis-common's {@code german} analyzer provider, as the distribution builds it: lower
     * case, German stop words, umlaut and ß normalisation, light German stemming
     * ("Therapien" finds "Therapie"). Kindred analyses German items' text with it
     * (search/backends/engine.py).
     */
    private static final class German extends AbstractIndexAnalyzerProvider<GermanAnalyzer> {
        private final GermanAnalyzer analyzer;

        German(String name, Environment env, Settings s) {
            super(name);
            analyzer = new GermanAnalyzer(
                Analysis.parseStopWords(env, s, GermanAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public GermanAnalyzer get() {
            return analyzer;
        }
    }

    /** Also applied to keyword normalisation and to the terms of fuzzy and prefix queries. */
    private static final class Normalizing extends Filter implements NormalizingTokenFilterFactory {
        Normalizing(String name, UnaryOperator<TokenStream> make) {
            super(name, make);
        }
    }

    /** The distribution's main action: node, cluster and version. */
    private final class RootHandler extends BaseRestHandler {
        @Override
        public String getName() {
            return "kindred_main_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> {
                var state = clusterService.state();
                Build build = Build.current();
                XContentBuilder body = channel.newBuilder();
                body.startObject()
                    .field("name", clusterService.getNodeName())
                    .field("cluster_name", state.getClusterName().value())
                    .field("cluster_uuid", state.metadata().clusterUUID())
                    .startObject("version")
                    .field("number", build.qualifiedVersion())
                    .field("build_flavor", build.flavor())
                    .field("build_type", build.type().displayName())
                    .field("build_hash", build.hash())
                    .field("build_date", build.date())
                    .field("build_snapshot", build.isSnapshot())
                    .field("lucene_version", Version.LATEST.toString())
                    .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                    .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                    .endObject()
                    .field("tagline", "You Know, for Search")
                    .endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, body));
            };
        }
    }
}
