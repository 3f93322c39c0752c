using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Tests.Specs;

public class SpecParserTests
{
    [Fact]
    public void TextAndJsonFormsParseToTheSameLayers()
    {
        var text = Architecture.Parse("dense(w=1.41,b=0.1) > relu > residual(relu > dense(w=0.5)) > product(dense > erf(a=0.7,b=1.8,c=0.3), dense > relu) > layer_norm > dense");
        var json = Architecture.Parse("""
            [{"type":"Dense","W_std":1.41,"b_std":0.1},{"type":"Relu"},
             {"type":"Residual","block":[{"type":"Relu"},{"type":"Dense","W_std":0.5}]},
             {"type":"Product","blocks":[[{"type":"Dense"},{"type":"Erf","a":0.7,"b":1.8,"c":0.3}],[{"type":"Dense"},{"type":"Relu"}]]},
             {"type":"LayerNorm"},{"type":"Dense"}]
            """);
        Assert.Equal(json.ToJson(), text.ToJson());
        Assert.Equal(json.ToString(), text.ToString());
    }

    [Fact]
    public void ToStringAndToJsonRoundTrip()
    {
        var a = Architecture.Parse("dense(w=1.5,b=0.05,width=256,param=standard) > leaky_relu(alpha=0.1) > polynomial(coef=[0.1,-0.5,0.3]) > tanh(order=30) > dense(width=1,param=standard)");
        Assert.Equal(a.ToJson(), Architecture.Parse(a.ToString()).ToJson());
        Assert.Equal(a.ToJson(), Architecture.Parse(a.ToJson()).ToJson());
    }

    [Theory]
    [InlineData("dense > relux > dense", "position 8", "unknown layer type 'relux'")]
    [InlineData("dense(w=abc)", "position 6 ('w')", "expected a number")]
    [InlineData("dense(w=1.2.3)", "position 8", "'1.2.3' is not a number")]
    [InlineData("dense(w=-1)", "position 6 ('w')", "non-negative")]
    [InlineData("dense(q=1)", "position 6 ('q')", "unknown parameter 'q'")]
    [InlineData("dense(w=1", "position 9", "missing ')'")]
    [InlineData("dense >", "position 7", "expected a layer name")]
    [InlineData("dense > > relu", "position 8", "expected a layer name, found '>'")]
    [InlineData("monomial(degree=2.5)", "position 9 ('degree')", "expected an integer")]
    [InlineData("dense(parameterization=weird)", "position 6 ('parameterization')", "'weird' is not one of ntk, standard")]
    [InlineData("residual", "position 0", "Residual needs a block")]
    [InlineData("dense relu", "position 6", "unexpected 'relu'")]
    public void TextErrorsNameTokenAndPosition(string spec, string where, string what)
    {
        var e = Assert.Throws<SpecException>(() => Architecture.Parse(spec));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("""[{"type":"Dense"},{"type":"Relux"}]""", "$[1]", "unknown layer type 'Relux'")]
    [InlineData("""[{"type":"Dense","W_std":"big"}]""", "$[0].W_std", "expected a number")]
    [InlineData("""[{"W_std":1}]""", "$[0]", "has no 'type'")]
    [InlineData("""[{"type":"Dense",}]""", "line 1", "invalid JSON")]
    [InlineData("""[{"type":"Residual","block":[{"type":"Nope"}]}]""", "$[0].block[0]", "unknown layer type 'Nope'")]
    public void JsonErrorsNameThePath(string spec, string where, string what)
    {
        var e = Assert.Throws<SpecException>(() => Architecture.Parse(spec));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void SpecFileIsReadWithAt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tangent-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """[{"type":"Dense","W_std":2},{"type":"Erf"}]""");
        try { Assert.Equal("Dense(W_std=2, b_std=0) > Erf(a=1, b=1, c=0)", Architecture.Parse("@" + path).ToString()); }
        finally { File.Delete(path); }
        var e = Assert.Throws<SpecException>(() => Architecture.Parse("@/nonexistent/spec.json"));
        Assert.Contains("no such file", e.Message);
    }

    [Fact]
    public void StandardParameterizationNeedsWidths()
    {
        var arch = Architecture.Parse("dense(param=standard, width=8) > relu > dense(param=standard)");
        arch.BindFlatKernel(TensorShape.Flat(5)); // input width known, first layer's width given: fine
        var bad = Architecture.Parse("dense > relu > dense(param=standard)");
        var e = Assert.Throws<SpecException>(() => bad.BindFlatKernel(TensorShape.Flat(5)));
        Assert.Contains("width", e.Message);
    }
}
